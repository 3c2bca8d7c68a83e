/* ek-part-util.c: small helpers shared by the part widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ek-part-util.h"

static gint64 pinned_now_ms;

static JsonNode *
lookup_node (JsonObject *object,
             const char *path)
{
  const char *start = path;

  if (object == NULL || path == NULL)
    return NULL;

  for (;;)
    {
      const char *dot = strchr (start, '.');
      g_autofree char *member = dot ? g_strndup (start, dot - start) : g_strdup (start);
      JsonNode *node = json_object_get_member (object, member);

      if (node == NULL)
        return NULL;
      if (dot == NULL)
        return node;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      object = json_node_get_object (node);
      start = dot + 1;
    }
}

JsonObject *
ek_part_json_object (JsonObject *object,
                     const char *path)
{
  JsonNode *node = lookup_node (object, path);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
ek_part_json_array (JsonObject *object,
                    const char *path)
{
  JsonNode *node = lookup_node (object, path);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
ek_part_json_string (JsonObject *object,
                     const char *path)
{
  JsonNode *node = lookup_node (object, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
ek_part_json_double (JsonObject *object,
                     const char *path,
                     double     *value)
{
  JsonNode *node = lookup_node (object, path);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

gint64
ek_part_json_int (JsonObject *object,
                  const char *path,
                  gint64      fallback)
{
  JsonNode *node = lookup_node (object, path);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

gboolean
ek_part_json_bool (JsonObject *object,
                   const char *path)
{
  JsonNode *node = lookup_node (object, path);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

const char *
ek_part_json_array_string (JsonArray *array,
                           guint      index)
{
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
ek_part_now_ms (void)
{
  if (pinned_now_ms != 0)
    return pinned_now_ms;
  return g_get_real_time () / 1000;
}

void
ek_part_set_now_ms_for_testing (gint64 now_ms)
{
  pinned_now_ms = now_ms;
}

char *
ek_part_format_duration (gint64   ms,
                         gboolean precise)
{
  gint64 s;

  ms = MAX (ms, 0);
  if (precise && ms < 100)
    /* Translators: a short duration in milliseconds, "34 ms" */
    return g_strdup_printf (_("%d ms"), (int) ms);
  if (precise && ms < 10000)
    /* Translators: a short duration with tenths, "0.3 s" */
    return g_strdup_printf (_("%.1f s"), ms / 1000.0);

  s = ms / 1000;
  if (s < 60)
    /* Translators: a short duration in seconds, "42 s" */
    return g_strdup_printf (_("%d s"), (int) s);
  if (s < 3600)
    /* Translators: a short duration, "1 min 5 s" */
    return g_strdup_printf (_("%d min %d s"), (int) (s / 60), (int) (s % 60));
  /* Translators: a short duration, "1 h 2 min" */
  return g_strdup_printf (_("%d h %d min"), (int) (s / 3600), (int) (s / 60 % 60));
}

static char *
seconds_words (gint64 s)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", s), (int) s);
}

static char *
minutes_words (gint64 m)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", m), (int) m);
}

char *
ek_part_format_duration_words (gint64   ms,
                               gboolean precise)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gint64 s;

  ms = MAX (ms, 0);
  if (precise && ms < 100)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d millisecond", "%d milliseconds", ms),
                            (int) ms);
  if (precise && ms < 10000 && ms % 1000 != 0)
    /* Translators: a duration with tenths of a second, "0.3 seconds" */
    return g_strdup_printf (_("%.1f seconds"), ms / 1000.0);

  s = ms / 1000;
  if (s < 60)
    return seconds_words (s);
  if (s < 3600)
    {
      first = minutes_words (s / 60);
      second = seconds_words (s % 60);
    }
  else
    {
      first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", s / 3600),
                               (int) (s / 3600));
      second = minutes_words (s / 60 % 60);
    }
  /* Translators: two parts of a duration, "1 minute 5 seconds" */
  return g_strdup_printf (_("%s %s"), first, second);
}

char *
ek_part_format_count (gint64 n)
{
  struct lconv *conv = localeconv ();
  const char *separator = conv->thousands_sep && *conv->thousands_sep ? conv->thousands_sep : ",";
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n < 0 ? -n : n);
  GString *out = g_string_new (n < 0 ? "-" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
clip_chars (const char *start,
            gsize       len,
            guint       max_chars,
            gboolean    keep_end)
{
  glong n_chars;
  const char *cut;

  if (!g_utf8_validate_len (start, len, NULL))
    {
      g_autofree char *raw = g_strndup (start, len);
      g_autofree char *valid = g_utf8_make_valid (raw, -1);

      return clip_chars (valid, strlen (valid), max_chars, keep_end);
    }

  n_chars = g_utf8_strlen (start, len);
  if (max_chars == 0 || n_chars <= (glong) max_chars)
    return g_strndup (start, len);

  if (keep_end)
    {
      cut = g_utf8_offset_to_pointer (start, n_chars - (max_chars - 1));
      return g_strconcat ("…", cut, NULL);
    }
  cut = g_utf8_offset_to_pointer (start, max_chars - 1);
  {
    g_autofree char *head = g_strndup (start, cut - start);
    return g_strconcat (head, "…", NULL);
  }
}

char *
ek_part_first_line (const char *text,
                    guint       max_chars)
{
  const char *end;
  gsize len;

  if (text == NULL)
    return NULL;
  end = strpbrk (text, "\r\n");
  len = end != NULL ? (gsize) (end - text) : strlen (text);
  if (end != NULL && len == 0)
    {
      /* a leading line end: show the first line with something in it */
      while (*text == '\r' || *text == '\n')
        text++;
      return ek_part_first_line (text, max_chars);
    }
  return clip_chars (text, len, max_chars, FALSE);
}

char *
ek_part_last_line (const char *text,
                   guint       max_chars)
{
  const char *end, *start;

  if (text == NULL)
    return g_strdup ("");

  end = text + strlen (text);
  while (end > text && g_ascii_isspace (end[-1]))
    end--;
  start = end;
  while (start > text && start[-1] != '\n' && start[-1] != '\r')
    start--;
  while (start < end && g_ascii_isspace (*start))
    start++;
  return clip_chars (start, end - start, max_chars, TRUE);
}

char *
ek_part_short_path (const char *path,
                    const char *root)
{
  const char *home = g_get_home_dir ();
  gsize len;

  if (path == NULL)
    return NULL;

  if (root != NULL && (len = strlen (root)) > 1 && strncmp (path, root, len) == 0 &&
      (path[len] == '/' || (root[len - 1] == '/' && path[len] != '\0')))
    {
      const char *rest = path + len;

      while (*rest == '/')
        rest++;
      if (*rest != '\0')
        return g_strdup (rest);
    }

  if (home != NULL && (len = strlen (home)) > 1 && strncmp (path, home, len) == 0 &&
      path[len] == '/')
    return g_strconcat ("~", path + len, NULL);

  return g_strdup (path);
}

char *
ek_part_basename (const char *path_or_url)
{
  g_autofree char *trimmed = NULL;
  const char *slash;
  char *end;

  if (path_or_url == NULL)
    return NULL;

  if (g_str_has_prefix (path_or_url, "data:"))
    return g_strdup ("");

  trimmed = g_strdup (path_or_url);
  end = strpbrk (trimmed, "?#");
  if (end != NULL && strstr (path_or_url, "://") != NULL)
    *end = '\0';
  while (*trimmed != '\0' && trimmed[strlen (trimmed) - 1] == '/')
    trimmed[strlen (trimmed) - 1] = '\0';

  slash = strrchr (trimmed, '/');
  if (slash != NULL && slash[1] != '\0')
    {
      g_autofree char *unescaped = g_uri_unescape_string (slash + 1, NULL);

      return g_strdup (unescaped != NULL ? unescaped : slash + 1);
    }
  return g_strdup (path_or_url);
}

static void
on_focus_changed (GtkWidget  *widget,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  if (!gtk_widget_has_focus (widget))
    gtk_widget_set_focusable (widget, FALSE);
}

static void
on_focus_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  gpointer         user_data)
{
  gtk_widget_set_focusable (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), TRUE);
}

/* Selectable labels and text views are focusable, and a window that is
 * presented without a focus widget focuses the first one it finds: in a
 * chat, a prompt's label, all of its text selected.  So they stay
 * unfocusable; a press makes one focusable in the capture phase, just
 * before its own gesture grabs focus (so selecting with the pointer, the
 * context menu and Ctrl+C work), and it is unfocusable again once focus
 * leaves.  The price: Tab does not reach the text. */
void
ek_part_focus_on_click (GtkWidget *widget)
{
  GtkGesture *gesture;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_focus_pressed), NULL);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));
  g_signal_connect (widget, "notify::has-focus", G_CALLBACK (on_focus_changed), NULL);
  gtk_widget_set_focusable (widget, FALSE);
}

GtkWidget *
ek_part_label_new (const char *text,
                   const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_use_underline (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  ek_part_focus_on_click (label);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}
