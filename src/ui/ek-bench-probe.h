/* ek-bench-probe.h: timings of one prompt or one history, for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-window.h"

G_BEGIN_DECLS

#define EK_TYPE_BENCH_PROBE (ek_bench_probe_get_type ())

G_DECLARE_FINAL_TYPE (EkBenchProbe, ek_bench_probe, EK, BENCH_PROBE, GObject)

EkBenchProbe *ek_bench_probe_new             (EkWindow      *window,
                                              const char    *path,
                                              GError       **error);
void          ek_bench_probe_set_prompt      (EkBenchProbe  *self,
                                              const char    *prompt);
void          ek_bench_probe_set_scroll_back (EkBenchProbe  *self,
                                              double         seconds);
gboolean      ek_bench_probe_is_done         (EkBenchProbe  *self);
void          ek_bench_probe_finish          (EkBenchProbe  *self);

G_END_DECLS
