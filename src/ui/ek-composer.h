/* ek-composer.h: where prompts are written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-session.h"
#include "ek-source.h"

G_BEGIN_DECLS

#define EK_TYPE_COMPOSER (ek_composer_get_type ())

G_DECLARE_FINAL_TYPE (EkComposer, ek_composer, EK, COMPOSER, GtkWidget)

GtkWidget  *ek_composer_new              (void);
EkSession  *ek_composer_get_session      (EkComposer *self);
void        ek_composer_set_session      (EkComposer *self,
                                          EkSession  *session);
EkSource   *ek_composer_get_source       (EkComposer *self);
void        ek_composer_set_source       (EkComposer *self,
                                          EkSource   *source);
char       *ek_composer_dup_text         (EkComposer *self);
void        ek_composer_set_text         (EkComposer *self,
                                          const char *text);
const char *ek_composer_get_disabled_reason (EkComposer *self);
GtkWidget  *ek_composer_get_text_view    (EkComposer *self);

G_END_DECLS
