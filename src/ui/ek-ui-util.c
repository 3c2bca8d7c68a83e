/* ek-ui-util.c: small helpers the views share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-ui-util.h"

/**
 * ek_format_relative_time:
 * @time_ms: a time in ms since the epoch
 * @now: the time to count from
 *
 * “Just now”, “5 min ago”, “3 hours ago”, “Yesterday”, a weekday, a date.
 */
char *
ek_format_relative_time (gint64     time_ms,
                         GDateTime *now)
{
  g_autoptr(GDateTime) then_utc = NULL;
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDate) day_then = NULL;
  g_autoptr(GDate) day_now = NULL;
  gint64 seconds;
  int days;

  g_return_val_if_fail (now != NULL, NULL);

  if (time_ms <= 0)
    return g_strdup ("");

  then_utc = g_date_time_new_from_unix_utc (time_ms / 1000);
  if (then_utc == NULL)
    return g_strdup ("");
  then = g_date_time_to_timezone (then_utc, g_date_time_get_timezone (now));
  local_now = g_date_time_ref (now);
  seconds = g_date_time_difference (local_now, then) / G_USEC_PER_SEC;

  day_then = g_date_new_dmy (g_date_time_get_day_of_month (then),
                             g_date_time_get_month (then),
                             g_date_time_get_year (then));
  day_now = g_date_new_dmy (g_date_time_get_day_of_month (local_now),
                            g_date_time_get_month (local_now),
                            g_date_time_get_year (local_now));
  days = g_date_days_between (day_then, day_now);

  if (seconds >= -60 && seconds < 60)
    return g_strdup (_("Just now"));
  if (seconds > 0 && seconds < 60 * 60)
    {
      int minutes = (int) (seconds / 60);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min ago", "%d min ago", minutes), minutes);
    }
  if (seconds > 0 && days == 0)
    {
      int hours = (int) (seconds / (60 * 60));

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", hours), hours);
    }
  if (days == 1)
    return g_strdup (_("Yesterday"));
  if (days > 1 && days < 7)
    /* TRANSLATORS: a weekday, see g_date_time_format() */
    return g_date_time_format (then, C_("relative time", "%A"));
  if (g_date_time_get_year (then) == g_date_time_get_year (local_now))
    /* TRANSLATORS: day and month, see g_date_time_format() */
    return g_date_time_format (then, C_("relative time", "%-d %b"));
  /* TRANSLATORS: day, month and year, see g_date_time_format() */
  return g_date_time_format (then, C_("relative time", "%-d %b %Y"));
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_get_object (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static gint64
object_get_int (JsonObject *object,
                const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return 0;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    default:
      return 0;
    }
}

gboolean
ek_error_is_abort (JsonObject *error)
{
  return g_strcmp0 (object_get_string (error, "name"), "MessageAbortedError") == 0;
}

/**
 * ek_describe_error:
 * @error: a protocol error object, `{name, data:{message, …}}`
 *
 * The error in words: “Interrupted” for an abort, else its kind and
 * message, e.g. “Provider error 401: invalid api key”.
 */
char *
ek_describe_error (JsonObject *error)
{
  const char *name = object_get_string (error, "name");
  JsonObject *data = object_get_object (error, "data");
  const char *message = object_get_string (data, "message");
  g_autofree char *kind = NULL;

  if (ek_error_is_abort (error))
    return g_strdup (_("Interrupted"));

  if (g_strcmp0 (name, "APIError") == 0)
    {
      gint64 status = object_get_int (data, "statusCode");

      if (status > 0)
        kind = g_strdup_printf (_("Provider error %d"), (int) status);
      else
        kind = g_strdup (_("Provider error"));
    }
  else if (g_strcmp0 (name, "ProviderAuthError") == 0)
    kind = g_strdup (_("Authentication failed"));
  else if (g_strcmp0 (name, "MessageOutputLengthError") == 0)
    kind = g_strdup (_("The answer reached the output limit"));
  else if (name == NULL || g_strcmp0 (name, "UnknownError") == 0)
    kind = g_strdup (_("Error"));
  else
    kind = g_strdup (name);

  if (message != NULL && *message != '\0')
    /* TRANSLATORS: an error's kind and its message */
    return g_strdup_printf (_("%s: %s"), kind, message);
  return g_steal_pointer (&kind);
}

/**
 * ek_session_display_title:
 *
 * Returns: the session's title, or “Untitled Session”
 */
const char *
ek_session_display_title (EkSession *session)
{
  const char *title = session ? ek_session_get_title (session) : NULL;

  if (title == NULL || *title == '\0')
    return _("Untitled Session");
  return title;
}

/**
 * ek_widget_save_png:
 *
 * Draws @widget as it is now with its native's renderer and writes a PNG.
 */
gboolean
ek_widget_save_png (GtkWidget   *widget,
                    const char  *path,
                    GError     **error)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GtkNative *native;
  GskRenderer *renderer;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  native = gtk_widget_get_native (widget);
  if (width <= 0 || height <= 0 || native == NULL || gtk_native_get_renderer (native) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "The window is not shown yet");
      return FALSE;
    }
  renderer = gtk_native_get_renderer (native);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "The window drew nothing");
      return FALSE;
    }

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not write %s", path);
      return FALSE;
    }
  return TRUE;
}

#define TOOLTIP_KEY "ek-tooltip"

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), TOOLTIP_KEY);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * ek_widget_set_tooltip:
 * @widget: a widget
 * @text: (nullable): its tooltip, or %NULL for none
 *
 * Like gtk_widget_set_tooltip_text(), but without asking the display at
 * once where the pointer is, which GTK does so that a tooltip on screen
 * follows the change: on X11 that is a round trip to the server for every
 * call, and a history builds rows with tooltips by the dozen in a frame.
 * The text is handed over when GTK asks for the tooltip, and is the
 * widget's accessible description, as a tooltip text would be.
 */
void
ek_widget_set_tooltip (GtkWidget  *widget,
                       const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (text, ek_widget_get_tooltip (widget)) == 0)
    return;

  if (g_object_get_data (G_OBJECT (widget), TOOLTIP_KEY "-handler") == NULL)
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
      g_object_set_data (G_OBJECT (widget), TOOLTIP_KEY "-handler", GINT_TO_POINTER (1));
    }
  g_object_set_data_full (G_OBJECT (widget), TOOLTIP_KEY, g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL);

  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/**
 * ek_widget_get_tooltip:
 * @widget: a widget
 *
 * Returns: (nullable): the tooltip ek_widget_set_tooltip() gave @widget
 */
const char *
ek_widget_get_tooltip (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  return g_object_get_data (G_OBJECT (widget), TOOLTIP_KEY);
}
