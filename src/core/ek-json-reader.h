/* ek-json-reader.h: a fast strict JSON reader that builds json-glib nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* deeper documents are refused (json-glib 1.6 would recurse without bound) */
#define EK_JSON_MAX_DEPTH 256

/*
 * EkJsonScanner: a cursor over a buffer, for hand-written readers of one
 * fixed shape (the event decoder's fast path).  Every function advances
 * @p past what it read and returns %FALSE on anything that is not strict
 * JSON, leaving @p somewhere inside it.
 */
typedef struct
{
  const char *p;
  const char *end;
} EkJsonScanner;

static inline void
ek_json_scanner_skip_ws (EkJsonScanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

gboolean  ek_json_scanner_read_string  (EkJsonScanner *s,
                                        GString       *out);
gboolean  ek_json_scanner_read_string_view (EkJsonScanner  *s,
                                            GString        *scratch,
                                            const char    **str,
                                            gsize          *len);
gboolean  ek_json_scanner_skip_number  (EkJsonScanner *s);
gboolean  ek_json_scanner_skip_value   (EkJsonScanner *s,
                                        GString       *scratch);
JsonNode *ek_json_scanner_read_value   (EkJsonScanner *s,
                                        GString       *scratch);

JsonNode *ek_json_read_strict          (const char    *data,
                                        gsize          len);
JsonNode *ek_json_parse                (const char    *data,
                                        gsize          len,
                                        GError       **error);

G_END_DECLS
