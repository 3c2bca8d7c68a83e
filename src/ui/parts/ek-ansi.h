/* ek-ansi.h: terminal output with its escape sequences taken out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  EK_ANSI_BOLD      = 1 << 0,
  EK_ANSI_DIM       = 1 << 1,
  EK_ANSI_ITALIC    = 1 << 2,
  EK_ANSI_UNDERLINE = 1 << 3,
  EK_ANSI_HAS_FG    = 1 << 4,
  EK_ANSI_HAS_BG    = 1 << 5,
} EkAnsiFlags;

/* A styled range of the plain text, in bytes. */
typedef struct
{
  gsize       start;
  gsize       end;
  EkAnsiFlags flags;
  guint32     fg; /* 0xRRGGBB */
  guint32     bg;
} EkAnsiSpan;

/* Plain text of @text: SGR colours become @spans (if not NULL; an array
 * of EkAnsiSpan), every other escape sequence and control character is
 * dropped (tabs and newlines stay), a lone carriage return rewinds the
 * line as a terminal would, invalid UTF-8 is replaced. */
char *ek_ansi_parse  (const char    *text,
                      gssize         len,
                      GArray       **spans);
char *ek_ansi_strip  (const char    *text,
                      gssize         len);
/* Replaces @buffer's contents with the parsed @text, styled with tags
 * ("ansi-…") made on demand. */
void  ek_ansi_set_buffer (GtkTextBuffer *buffer,
                          const char    *text,
                          gssize         len,
                          gboolean       colours);

G_END_DECLS
