/* ek-ingest.h: bytes in, batches of events out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EK_INGEST_DEFAULT_INTERVAL_MS 16

#define EK_TYPE_INGEST (ek_ingest_get_type ())

G_DECLARE_FINAL_TYPE (EkIngest, ek_ingest, EK, INGEST, GObject)

EkIngest *ek_ingest_new                (void);
void      ek_ingest_set_interval       (EkIngest   *self,
                                        guint       interval_ms);
guint     ek_ingest_get_interval       (EkIngest   *self);
void      ek_ingest_set_max_event_size (EkIngest   *self,
                                        gsize       max_size);
void      ek_ingest_push               (EkIngest   *self,
                                        GBytes     *bytes);
void      ek_ingest_push_data          (EkIngest   *self,
                                        const char *data,
                                        gsize       len);
void      ek_ingest_reset              (EkIngest   *self);
void      ek_ingest_close              (EkIngest   *self);
gboolean  ek_ingest_is_finished        (EkIngest   *self);
guint64   ek_ingest_get_n_events       (EkIngest   *self);
guint64   ek_ingest_get_n_errors       (EkIngest   *self);
guint64   ek_ingest_get_n_batches      (EkIngest   *self);

G_END_DECLS
