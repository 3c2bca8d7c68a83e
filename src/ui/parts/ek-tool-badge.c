/* ek-tool-badge.c: a tool call's state, as a small pill
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pending is dim; running has a spinner and the time since the call
 * started, counted up once a second while the badge is on screen (now
 * is the conversation's clock: in a recording, the newest time it
 * carries, see EkStreamClock);
 * completed shows how long it took (success colours); error says it
 * failed (error colours).  The accessible name says the same in words.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-part-util.h"
#include "ek-tool-badge.h"
#include "ek-ui-util.h"

struct _EkToolBadge
{
  GtkWidget  parent_instance;

  GtkWidget *spinner;
  GtkWidget *icon;
  GtkWidget *label;

  char      *status;
  char      *text;
  char      *accessible_text;
  EkStreamClock *clock;
  gint64     start_ms;
  gint64     end_ms;
  guint      tick_id;
};

G_DEFINE_FINAL_TYPE (EkToolBadge, ek_tool_badge, GTK_TYPE_WIDGET)

static const char *state_classes[] = { "pending", "running", "completed", "failed" };

static gboolean
is_running (EkToolBadge *self)
{
  return g_strcmp0 (self->status, "running") == 0;
}

static void update_ticking (EkToolBadge *self);

/* How long a running call has run; never negative (a server clock
 * ahead of ours). */
static gint64
get_elapsed (EkToolBadge *self,
             gint64       start_ms)
{
  return MAX (ek_stream_clock_now_ms (self->clock) - start_ms, 0);
}

static gboolean
on_tick (gpointer user_data)
{
  EkToolBadge *self = user_data;

  self->tick_id = 0;
  ek_tool_badge_set_state (self, self->status, self->start_ms, self->end_ms);
  update_ticking (self);
  return G_SOURCE_REMOVE;
}

/* A running call's badge counts up while it is on screen; the timer
 * fires when the shown second changes and stops otherwise. */
static void
update_ticking (EkToolBadge *self)
{
  gboolean want = is_running (self) && self->start_ms > 0 &&
                  gtk_widget_get_mapped (GTK_WIDGET (self));

  if (!want)
    {
      g_clear_handle_id (&self->tick_id, g_source_remove);
      return;
    }
  if (self->tick_id == 0)
    {
      gint64 elapsed = get_elapsed (self, self->start_ms);

      self->tick_id = g_timeout_add (1000 - elapsed % 1000 + 5, on_tick, self);
      g_source_set_name_by_id (self->tick_id, "[ekacode] tool badge tick");
    }
}

static void
set_class (EkToolBadge *self,
           const char  *klass)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    {
      if (g_strcmp0 (state_classes[i], klass) == 0)
        gtk_widget_add_css_class (GTK_WIDGET (self), state_classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
    }
}

static void
ek_tool_badge_map (GtkWidget *widget)
{
  EkToolBadge *self = EK_TOOL_BADGE (widget);

  GTK_WIDGET_CLASS (ek_tool_badge_parent_class)->map (widget);

  /* the time may have moved on while off screen */
  if (is_running (self))
    ek_tool_badge_set_state (self, self->status, self->start_ms, self->end_ms);
  update_ticking (self);
}

static void
ek_tool_badge_unmap (GtkWidget *widget)
{
  EkToolBadge *self = EK_TOOL_BADGE (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (ek_tool_badge_parent_class)->unmap (widget);
}

static void
ek_tool_badge_dispose (GObject *object)
{
  EkToolBadge *self = EK_TOOL_BADGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->spinner, gtk_widget_unparent);
  g_clear_pointer (&self->icon, gtk_widget_unparent);
  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_tool_badge_parent_class)->dispose (object);
}

static void
ek_tool_badge_finalize (GObject *object)
{
  EkToolBadge *self = EK_TOOL_BADGE (object);

  g_free (self->status);
  g_free (self->text);
  g_free (self->accessible_text);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (ek_tool_badge_parent_class)->finalize (object);
}

static void
ek_tool_badge_class_init (EkToolBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_tool_badge_dispose;
  object_class->finalize = ek_tool_badge_finalize;
  widget_class->map = ek_tool_badge_map;
  widget_class->unmap = ek_tool_badge_unmap;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ektoolbadge");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
ek_tool_badge_init (EkToolBadge *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 4);
  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-tool-badge");
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_parent (self->spinner, GTK_WIDGET (self));

  self->icon = gtk_image_new ();
  gtk_widget_set_visible (self->icon, FALSE);
  gtk_widget_set_parent (self->icon, GTK_WIDGET (self));

  self->label = gtk_label_new (NULL);
  gtk_label_set_single_line_mode (GTK_LABEL (self->label), TRUE);
  gtk_widget_add_css_class (self->label, "numeric");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));

  ek_tool_badge_set_state (self, "pending", 0, 0);
}

GtkWidget *
ek_tool_badge_new (void)
{
  return g_object_new (EK_TYPE_TOOL_BADGE, NULL);
}

void
ek_tool_badge_set_state (EkToolBadge *self,
                         const char  *status,
                         gint64       start_ms,
                         gint64       end_ms)
{
  g_autofree char *status_copy = g_strdup (status);
  g_autofree char *text = NULL;
  g_autofree char *words = NULL;
  const char *icon_name = NULL;
  const char *klass;
  gboolean spinning = FALSE;

  g_return_if_fail (EK_IS_TOOL_BADGE (self));

  if (g_strcmp0 (status, "pending") == 0)
    {
      klass = "pending";
      text = g_strdup (_("Pending"));
      words = g_strdup (_("Pending"));
    }
  else if (g_strcmp0 (status, "running") == 0)
    {
      klass = "running";
      spinning = TRUE;
      if (start_ms > 0)
        {
          gint64 elapsed = get_elapsed (self, start_ms);
          g_autofree char *duration = ek_part_format_duration_words (elapsed, FALSE);

          text = ek_part_format_duration (elapsed, FALSE);
          /* Translators: a running tool call's state, "Running, 3 seconds" */
          words = g_strdup_printf (_("Running, %s"), duration);
        }
      else
        {
          text = g_strdup (_("Running"));
          words = g_strdup (_("Running"));
        }
    }
  else if (g_strcmp0 (status, "completed") == 0)
    {
      klass = "completed";
      icon_name = "object-select-symbolic";
      if (start_ms > 0 && end_ms >= start_ms)
        {
          g_autofree char *duration = ek_part_format_duration_words (end_ms - start_ms, TRUE);

          text = ek_part_format_duration (end_ms - start_ms, TRUE);
          /* Translators: a finished tool call, "Completed in 0.3 seconds" */
          words = g_strdup_printf (_("Completed in %s"), duration);
        }
      else
        {
          text = g_strdup (_("Done"));
          words = g_strdup (_("Completed"));
        }
    }
  else if (g_strcmp0 (status, "error") == 0)
    {
      klass = "failed";
      icon_name = "dialog-error-symbolic";
      text = g_strdup (_("Failed"));
      words = g_strdup (_("Failed"));
    }
  else
    {
      /* a state newer servers may add: say what it is called */
      klass = "pending";
      text = g_strdup (status != NULL ? status : "");
      words = g_strdup (text);
    }

  g_free (self->status);
  self->status = g_steal_pointer (&status_copy);
  self->start_ms = start_ms;
  self->end_ms = end_ms;

  set_class (self, klass);
  gtk_widget_set_visible (self->spinner, spinning);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), spinning);
  gtk_widget_set_visible (self->icon, icon_name != NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), icon_name);

  if (g_strcmp0 (self->text, text) != 0)
    {
      g_free (self->text);
      self->text = g_steal_pointer (&text);
      gtk_label_set_text (GTK_LABEL (self->label), self->text);
    }
  if (g_strcmp0 (self->accessible_text, words) != 0)
    {
      g_free (self->accessible_text);
      self->accessible_text = g_steal_pointer (&words);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_text,
                                      -1);
      ek_widget_set_tooltip (GTK_WIDGET (self), self->accessible_text);
    }

  update_ticking (self);
}

const char *
ek_tool_badge_get_status (EkToolBadge *self)
{
  g_return_val_if_fail (EK_IS_TOOL_BADGE (self), NULL);
  return self->status;
}

const char *
ek_tool_badge_get_text (EkToolBadge *self)
{
  g_return_val_if_fail (EK_IS_TOOL_BADGE (self), NULL);
  return self->text;
}

const char *
ek_tool_badge_get_accessible_text (EkToolBadge *self)
{
  g_return_val_if_fail (EK_IS_TOOL_BADGE (self), NULL);
  return self->accessible_text;
}

void
ek_tool_badge_set_clock (EkToolBadge   *self,
                         EkStreamClock *clock)
{
  g_return_if_fail (EK_IS_TOOL_BADGE (self));
  g_return_if_fail (clock == NULL || EK_IS_STREAM_CLOCK (clock));

  if (g_set_object (&self->clock, clock) && is_running (self))
    ek_tool_badge_set_state (self, self->status, self->start_ms, self->end_ms);
}

gboolean
ek_tool_badge_get_ticking (EkToolBadge *self)
{
  g_return_val_if_fail (EK_IS_TOOL_BADGE (self), FALSE);
  return self->tick_id != 0;
}
