/* test-coalescer.c: tests for the coalescer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ek-coalescer.h"
#include "ek-test-util.h"

/* ------------------------------------------------------------------ */
/* Making events                                                      */

static EkEvent *
delta (const char *part_id,
       const char *field,
       const char *text)
{
  g_autofree char *json = g_strdup_printf (
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\","
    "\"partID\":\"%s\",\"field\":\"%s\",\"delta\":\"%s\"}}", part_id, field, text);

  return ek_test_decode (json);
}

static EkEvent *
delta_in (const char *message_id,
          const char *part_id,
          const char *text)
{
  g_autofree char *json = g_strdup_printf (
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"%s\","
    "\"partID\":\"%s\",\"field\":\"text\",\"delta\":\"%s\"}}", message_id, part_id, text);

  return ek_test_decode (json);
}

static EkEvent *
part_updated (const char *part_id,
              const char *text)
{
  g_autofree char *json = g_strdup_printf (
    "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"%s\",\"sessionID\":\"ses_1\","
    "\"messageID\":\"msg_1\",\"type\":\"text\",\"text\":\"%s\"}}}", part_id, text);

  return ek_test_decode (json);
}

static EkEvent *
part_removed (const char *part_id)
{
  g_autofree char *json = g_strdup_printf (
    "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\","
    "\"partID\":\"%s\"}}", part_id);

  return ek_test_decode (json);
}

static EkEvent *
status (const char *session_id,
        const char *type)
{
  g_autofree char *json = g_strdup_printf (
    "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"%s\",\"status\":{\"type\":\"%s\"}}}",
    session_id, type);

  return ek_test_decode (json);
}

static EkEvent *
simple (const char *json)
{
  return ek_test_decode (json);
}

static EkEvent *
batch_at (GPtrArray *batch,
          guint      i)
{
  g_assert_cmpuint (i, <, batch->len);
  g_assert_nonnull (g_ptr_array_index (batch, i));
  return g_ptr_array_index (batch, i);
}

static void
assert_delta (EkEvent    *event,
              const char *part_id,
              const char *field,
              const char *text)
{
  gsize len;
  const char *got;

  g_assert_cmpint (ek_event_get_kind (event), ==, EK_EVENT_PART_DELTA);
  g_assert_cmpstr (ek_event_get_part_id (event), ==, part_id);
  g_assert_cmpstr (ek_event_get_field (event), ==, field);
  got = ek_event_get_delta (event, &len);
  g_assert_cmpuint (len, ==, strlen (text));
  g_assert_cmpstr (got, ==, text);
}

static const char *
part_text (EkEvent *event)
{
  JsonObject *part;

  g_assert_cmpint (ek_event_get_kind (event), ==, EK_EVENT_PART_UPDATED);
  part = json_object_get_object_member (ek_event_get_properties (event), "part");
  return json_object_get_string_member (part, "text");
}

/* ------------------------------------------------------------------ */
/* Deltas                                                             */

static void
test_deltas_merge (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta ("prt_1", "text", "Hel"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "lo, "));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "world"));
  g_assert_cmpuint (ek_coalescer_get_n_pending (coalescer), ==, 1);
  g_assert_cmpuint (ek_coalescer_get_n_added (coalescer), ==, 3);

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 1);
  assert_delta (batch_at (batch, 0), "prt_1", "text", "Hello, world");
  g_assert_cmpstr (ek_event_get_session_id (batch_at (batch, 0)), ==, "ses_1");
  g_assert_cmpstr (ek_event_get_message_id (batch_at (batch, 0)), ==, "msg_1");
}

static void
test_deltas_merge_many (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);

  /* enough to grow the merged buffer many times */
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *piece = g_strdup_printf ("%u,", i);

      g_string_append (expected, piece);
      ek_coalescer_add (coalescer, delta ("prt_1", "text", piece));
    }
  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 1);
  assert_delta (batch_at (batch, 0), "prt_1", "text", expected->str);
}

static void
test_deltas_of_other_fields_do_not_merge (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, delta ("prt_1", "reasoning", "b"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "c"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "d"));

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 3);
  assert_delta (batch_at (batch, 0), "prt_1", "text", "a");
  assert_delta (batch_at (batch, 1), "prt_1", "reasoning", "b");
  assert_delta (batch_at (batch, 2), "prt_1", "text", "cd");
}

static void
test_deltas_of_other_parts_do_not_merge (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, delta ("prt_2", "text", "x"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "b"));
  ek_coalescer_add (coalescer, delta ("prt_3", "text", "y"));
  ek_coalescer_add (coalescer, delta ("prt_2", "text", "z"));

  batch = ek_coalescer_take (coalescer);
  /* one per part, each in the place of its first delta */
  g_assert_cmpuint (batch->len, ==, 3);
  assert_delta (batch_at (batch, 0), "prt_1", "text", "ab");
  assert_delta (batch_at (batch, 1), "prt_2", "text", "xz");
  assert_delta (batch_at (batch, 2), "prt_3", "text", "y");
}

static void
test_deltas_of_same_part_id_in_other_message (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta_in ("msg_1", "prt_1", "a"));
  ek_coalescer_add (coalescer, delta_in ("msg_2", "prt_1", "b"));
  ek_coalescer_add (coalescer, delta_in ("msg_1", "prt_1", "c"));

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 3);
  g_assert_cmpstr (ek_event_get_message_id (batch_at (batch, 0)), ==, "msg_1");
  g_assert_cmpstr (ek_event_get_message_id (batch_at (batch, 1)), ==, "msg_2");
  g_assert_cmpstr (ek_event_get_message_id (batch_at (batch, 2)), ==, "msg_1");
}

static void
test_deltas_empty (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta ("prt_1", "text", ""));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", ""));

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 1);
  assert_delta (batch_at (batch, 0), "prt_1", "text", "a");
}

static void
test_shared_event_not_modified (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(EkEvent) held = delta ("prt_1", "text", "a");

  /* someone else holds the first delta: it must not change under them */
  ek_coalescer_add (coalescer, ek_event_ref (held));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "b"));

  batch = ek_coalescer_take (coalescer);
  assert_delta (held, "prt_1", "text", "a");
  g_assert_cmpuint (batch->len, ==, 2);
  assert_delta (batch_at (batch, 0), "prt_1", "text", "a");
  assert_delta (batch_at (batch, 1), "prt_1", "text", "b");
}

/* ------------------------------------------------------------------ */
/* Full updates                                                       */

static void
test_update_replaces_earlier (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, part_updated ("prt_1", "v1"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "b"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "c"));
  ek_coalescer_add (coalescer, part_updated ("prt_1", "v2"));
  g_assert_cmpuint (ek_coalescer_get_n_pending (coalescer), ==, 1);

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_cmpstr (part_text (batch_at (batch, 0)), ==, "v2");
}

static void
test_deltas_after_update_kept (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, part_updated ("prt_1", "v1"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "b"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "c"));

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 2);
  g_assert_cmpstr (part_text (batch_at (batch, 0)), ==, "v1");
  assert_delta (batch_at (batch, 1), "prt_1", "text", "bc");
}

static void
test_update_keeps_other_parts (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta ("prt_2", "text", "x"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, part_updated ("prt_2", "other"));
  ek_coalescer_add (coalescer, part_updated ("prt_1", "v1"));
  ek_coalescer_add (coalescer, delta ("prt_2", "text", "y"));

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 3);
  g_assert_cmpstr (part_text (batch_at (batch, 0)), ==, "other");
  g_assert_cmpstr (part_text (batch_at (batch, 1)), ==, "v1");
  assert_delta (batch_at (batch, 2), "prt_2", "text", "y");
}

static void
test_update_of_same_id_in_other_message (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta_in ("msg_2", "prt_1", "x"));
  ek_coalescer_add (coalescer, part_updated ("prt_1", "v1")); /* in msg_1 */

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 2);
  assert_delta (batch_at (batch, 0), "prt_1", "text", "x");
  g_assert_cmpstr (part_text (batch_at (batch, 1)), ==, "v1");
}

/* ------------------------------------------------------------------ */
/* Statuses                                                           */

static const char *
status_type (EkEvent *event)
{
  JsonObject *props = ek_event_get_properties (event);

  g_assert_cmpint (ek_event_get_kind (event), ==, EK_EVENT_SESSION_STATUS);
  return json_object_get_string_member (json_object_get_object_member (props, "status"), "type");
}

static void
test_latest_status_wins (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, status ("ses_1", "busy"));
  ek_coalescer_add (coalescer, status ("ses_2", "busy"));
  ek_coalescer_add (coalescer, status ("ses_1", "retry"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, status ("ses_1", "idle"));

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 3);
  g_assert_cmpstr (ek_event_get_session_id (batch_at (batch, 0)), ==, "ses_2");
  g_assert_cmpstr (status_type (batch_at (batch, 0)), ==, "busy");
  assert_delta (batch_at (batch, 1), "prt_1", "text", "a");
  g_assert_cmpstr (ek_event_get_session_id (batch_at (batch, 2)), ==, "ses_1");
  g_assert_cmpstr (status_type (batch_at (batch, 2)), ==, "idle");
}

/* ------------------------------------------------------------------ */
/* Barriers                                                           */

static void
test_part_removal_is_a_barrier (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;

  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, part_removed ("prt_1"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "b"));

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, 3);
  assert_delta (batch_at (batch, 0), "prt_1", "text", "a");
  g_assert_cmpint (ek_event_get_kind (batch_at (batch, 1)), ==, EK_EVENT_PART_REMOVED);
  assert_delta (batch_at (batch, 2), "prt_1", "text", "b");
}

static void
test_other_removals_are_barriers (void)
{
  const char *removals[] = {
    "{\"type\":\"message.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\"}}",
    "{\"type\":\"session.deleted\",\"properties\":{\"sessionID\":\"ses_1\",\"info\":{\"id\":\"ses_1\"}}}",
    /* even a removal of something else */
    "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"partID\":\"prt_9\",\"messageID\":\"msg_1\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (removals); i++)
    {
      g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
      g_autoptr(GPtrArray) batch = NULL;

      ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
      ek_coalescer_add (coalescer, simple (removals[i]));
      ek_coalescer_add (coalescer, delta ("prt_1", "text", "b"));
      ek_coalescer_add (coalescer, delta ("prt_1", "text", "c"));

      batch = ek_coalescer_take (coalescer);
      g_assert_cmpuint (batch->len, ==, 3);
      assert_delta (batch_at (batch, 0), "prt_1", "text", "a");
      assert_delta (batch_at (batch, 2), "prt_1", "text", "bc");
    }
}

static void
test_other_events_kept_in_order (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;
  const char *types[] = { "server.heartbeat", "something.unknown", "server.heartbeat", "plugin.added" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"type\":\"%s\",\"properties\":{\"n\":%u}}", types[i], i);

      ek_coalescer_add (coalescer, simple (json));
    }

  batch = ek_coalescer_take (coalescer);
  g_assert_cmpuint (batch->len, ==, G_N_ELEMENTS (types));
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      JsonObject *props = ek_event_get_properties (batch_at (batch, i));

      g_assert_cmpstr (ek_event_get_type_name (batch_at (batch, i)), ==, types[i]);
      g_assert_cmpint (json_object_get_int_member (props, "n"), ==, i);
    }
}

/* ------------------------------------------------------------------ */
/* take()                                                             */

static void
test_take_resets (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) empty = NULL;

  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, part_updated ("prt_2", "v1"));
  ek_coalescer_add (coalescer, status ("ses_1", "busy"));
  first = ek_coalescer_take (coalescer);
  g_assert_cmpuint (first->len, ==, 3);
  g_assert_cmpuint (ek_coalescer_get_n_pending (coalescer), ==, 0);

  /* nothing of the first batch is touched by the second */
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "b"));
  ek_coalescer_add (coalescer, part_updated ("prt_2", "v2"));
  ek_coalescer_add (coalescer, status ("ses_1", "idle"));
  second = ek_coalescer_take (coalescer);

  assert_delta (batch_at (first, 0), "prt_1", "text", "a");
  g_assert_cmpstr (part_text (batch_at (first, 1)), ==, "v1");
  g_assert_cmpstr (status_type (batch_at (first, 2)), ==, "busy");
  g_assert_cmpuint (second->len, ==, 3);
  assert_delta (batch_at (second, 0), "prt_1", "text", "b");
  g_assert_cmpstr (part_text (batch_at (second, 1)), ==, "v2");
  g_assert_cmpstr (status_type (batch_at (second, 2)), ==, "idle");

  empty = ek_coalescer_take (coalescer);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (ek_coalescer_get_n_added (coalescer), ==, 6);
}

static void
test_take_after_drops (void)
{
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();

  /* drops leave holes the batch must not show; twice, to see the
   * array is whole again after a take */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GPtrArray) batch = NULL;

      ek_coalescer_add (coalescer, status ("ses_1", "busy"));
      ek_coalescer_add (coalescer, part_updated ("prt_1", "v1"));
      ek_coalescer_add (coalescer, status ("ses_1", "idle"));
      ek_coalescer_add (coalescer, part_updated ("prt_1", "v2"));
      ek_coalescer_add (coalescer, status ("ses_2", "busy"));
      g_assert_cmpuint (ek_coalescer_get_n_pending (coalescer), ==, 3);

      batch = ek_coalescer_take (coalescer);
      g_assert_cmpuint (batch->len, ==, 3);
      for (guint i = 0; i < batch->len; i++)
        g_assert_nonnull (g_ptr_array_index (batch, i));
      g_assert_cmpstr (status_type (batch_at (batch, 0)), ==, "idle");
      g_assert_cmpstr (part_text (batch_at (batch, 1)), ==, "v2");
      g_assert_cmpstr (ek_event_get_session_id (batch_at (batch, 2)), ==, "ses_2");
    }
}

static void
test_free_with_pending (void)
{
  EkCoalescer *coalescer = ek_coalescer_new ();

  ek_coalescer_add (coalescer, delta ("prt_1", "text", "a"));
  ek_coalescer_add (coalescer, delta ("prt_1", "text", "b"));
  ek_coalescer_add (coalescer, part_updated ("prt_1", "v1"));
  ek_coalescer_free (coalescer);
  ek_coalescer_free (NULL);
}

/* ------------------------------------------------------------------ */
/* Coalesced and raw give the same store                              */

static void
assert_same_store (GPtrArray *datas)
{
  const guint sizes[] = { 1, 2, 3, 5, 0 };
  g_autoptr(EkStore) raw = ek_test_fold_raw (datas);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(EkStore) coalesced = ek_test_fold_coalesced (datas, sizes[i]);
      g_autoptr(EkStore) scanned = ek_test_fold_coalesced_full (datas, sizes[i], EK_TEST_FOLD_SCANNED);

      ek_test_assert_stores_equal (raw, coalesced);
      ek_test_assert_stores_equal (raw, scanned);
    }
}

static void
add_json (GPtrArray  *datas,
          const char *json)
{
  g_ptr_array_add (datas, g_bytes_new (json, strlen (json)));
}

static void
test_equivalence_delta_across_adoption (void)
{
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  /* a part arrives before its message (kept aside); a delta for it is
   * skipped until the message arrives, and the next one lands.  Merged
   * into one, the two deltas would both be skipped. */
  add_json (datas, "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_1\","
                   "\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\",\"type\":\"text\",\"text\":\"x\"}}}");
  add_json (datas, "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_1\","
                   "\"messageID\":\"msg_1\",\"partID\":\"prt_1\",\"field\":\"text\",\"delta\":\"a\"}}");
  add_json (datas, "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_1\","
                   "\"sessionID\":\"ses_1\",\"role\":\"assistant\",\"time\":{\"created\":1}}}}");
  add_json (datas, "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_1\","
                   "\"messageID\":\"msg_1\",\"partID\":\"prt_1\",\"field\":\"text\",\"delta\":\"b\"}}");

  assert_same_store (datas);
}

typedef struct
{
  const char *session;
  const char *message;
} MessageSlot;

static const MessageSlot message_slots[] = {
  { "ses_a", "msg_1" }, { "ses_a", "msg_2" }, { "ses_b", "msg_3" },
};

static const struct
{
  guint       message; /* index into message_slots */
  const char *id;
} part_slots[] = {
  { 0, "prt_1" }, { 0, "prt_2" }, { 1, "prt_3" }, { 2, "prt_4" }, { 2, "prt_1" },
};

static char *
random_event (GRand *rand,
              guint  serial)
{
  guint p = g_rand_int_range (rand, 0, G_N_ELEMENTS (part_slots));
  const MessageSlot *pm = &message_slots[part_slots[p].message];
  const char *part = part_slots[p].id;
  const MessageSlot *m = &message_slots[g_rand_int_range (rand, 0, G_N_ELEMENTS (message_slots))];
  const char *session = g_rand_boolean (rand) ? "ses_a" : "ses_b";
  const char *fields[] = { "text", "text", "text", "reasoning" };
  const char *statuses[] = { "busy", "idle", "retry" };
  guint roll = g_rand_int_range (rand, 0, 100);

  if (roll < 40)
    return g_strdup_printf ("{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"%s\","
                            "\"messageID\":\"%s\",\"partID\":\"%s\",\"field\":\"%s\",\"delta\":\"d%u \"}}",
                            pm->session, pm->message, part,
                            fields[g_rand_int_range (rand, 0, G_N_ELEMENTS (fields))], serial);
  if (roll < 58)
    return g_strdup_printf ("{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"%s\","
                            "\"sessionID\":\"%s\",\"messageID\":\"%s\",\"type\":\"text\",\"text\":\"u%u \","
                            "\"n\":%u}}}", part, pm->session, pm->message, serial, serial);
  if (roll < 70)
    return g_strdup_printf ("{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"%s\","
                            "\"sessionID\":\"%s\",\"role\":\"assistant\",\"time\":{\"created\":%d},\"n\":%u}}}",
                            m->message, m->session, g_rand_int_range (rand, 1, 4), serial);
  if (roll < 74)
    return g_strdup_printf ("{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"%s\","
                            "\"messageID\":\"%s\",\"partID\":\"%s\"}}", pm->session, pm->message, part);
  if (roll < 77)
    return g_strdup_printf ("{\"type\":\"message.removed\",\"properties\":{\"sessionID\":\"%s\","
                            "\"messageID\":\"%s\"}}", m->session, m->message);
  if (roll < 86)
    return g_strdup_printf ("{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"%s\","
                            "\"status\":{\"type\":\"%s\",\"n\":%u}}}", session,
                            statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))], serial);
  if (roll < 88)
    return g_strdup_printf ("{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"%s\"}}", session);
  if (roll < 91)
    return g_strdup_printf ("{\"type\":\"session.updated\",\"properties\":{\"sessionID\":\"%s\","
                            "\"info\":{\"id\":\"%s\",\"title\":\"t%u\"}}}", session, session, serial);
  if (roll < 92)
    return g_strdup_printf ("{\"type\":\"session.deleted\",\"properties\":{\"sessionID\":\"%s\"}}", session);
  if (roll < 94)
    return g_strdup_printf ("{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_%u\","
                            "\"sessionID\":\"%s\"}}", serial % 3, session);
  if (roll < 96)
    return g_strdup_printf ("{\"type\":\"permission.replied\",\"properties\":{\"requestID\":\"per_%u\","
                            "\"sessionID\":\"%s\",\"reply\":\"once\"}}", serial % 3, session);
  if (roll < 98)
    return g_strdup_printf ("{\"type\":\"todo.updated\",\"properties\":{\"sessionID\":\"%s\","
                            "\"todos\":[{\"content\":\"c%u\"}]}}", session, serial);
  return g_strdup ("{\"type\":\"server.heartbeat\",\"properties\":{}}");
}

static void
test_equivalence_random (void)
{
  /* random streams over a handful of ids: whatever the order, the
   * coalesced batches must fold to what the raw events fold to */
  for (guint seed = 1; seed <= 1000; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      guint n = g_rand_int_range (rand, 1, 40);

      for (guint i = 0; i < n; i++)
        {
          char *json = random_event (rand, i);

          g_ptr_array_add (datas, g_bytes_new_take (json, strlen (json)));
        }

      if (g_test_verbose ())
        g_test_message ("seed %u, %u events", seed, n);
      assert_same_store (datas);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/coalescer/deltas/merge", test_deltas_merge);
  g_test_add_func ("/coalescer/deltas/merge-many", test_deltas_merge_many);
  g_test_add_func ("/coalescer/deltas/other-fields", test_deltas_of_other_fields_do_not_merge);
  g_test_add_func ("/coalescer/deltas/other-parts", test_deltas_of_other_parts_do_not_merge);
  g_test_add_func ("/coalescer/deltas/same-id-other-message", test_deltas_of_same_part_id_in_other_message);
  g_test_add_func ("/coalescer/deltas/empty", test_deltas_empty);
  g_test_add_func ("/coalescer/deltas/shared-event", test_shared_event_not_modified);
  g_test_add_func ("/coalescer/update/replaces-earlier", test_update_replaces_earlier);
  g_test_add_func ("/coalescer/update/deltas-after-kept", test_deltas_after_update_kept);
  g_test_add_func ("/coalescer/update/other-parts-kept", test_update_keeps_other_parts);
  g_test_add_func ("/coalescer/update/same-id-other-message", test_update_of_same_id_in_other_message);
  g_test_add_func ("/coalescer/status/latest-wins", test_latest_status_wins);
  g_test_add_func ("/coalescer/barrier/part-removed", test_part_removal_is_a_barrier);
  g_test_add_func ("/coalescer/barrier/other-removals", test_other_removals_are_barriers);
  g_test_add_func ("/coalescer/other-events-in-order", test_other_events_kept_in_order);
  g_test_add_func ("/coalescer/take/resets", test_take_resets);
  g_test_add_func ("/coalescer/take/after-drops", test_take_after_drops);
  g_test_add_func ("/coalescer/free-with-pending", test_free_with_pending);
  g_test_add_func ("/coalescer/equivalence/delta-across-adoption", test_equivalence_delta_across_adoption);
  g_test_add_func ("/coalescer/equivalence/random", test_equivalence_random);

  return g_test_run ();
}
