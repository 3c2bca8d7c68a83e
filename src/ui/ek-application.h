/* ek-application.h: the application, its options and actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EK_APPLICATION_RESOURCE_PATH "/dev/ekacode/Ekacode"
#define EK_APPLICATION_DEMO_RESOURCE EK_APPLICATION_RESOURCE_PATH "/demo/demo.sse"

#define EK_TYPE_APPLICATION (ek_application_get_type ())

G_DECLARE_FINAL_TYPE (EkApplication, ek_application, EK, APPLICATION, AdwApplication)

EkApplication *ek_application_new             (void);
GSettings     *ek_application_get_settings    (EkApplication *self);
int            ek_application_get_exit_status (EkApplication *self);
GBytes        *ek_application_load_demo       (GError       **error);

G_END_DECLS
