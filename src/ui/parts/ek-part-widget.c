/* ek-part-widget.c: the base of every widget that shows one part
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A part widget holds a reference to one EkPart of the store and redraws
 * from it; it keeps no copy of protocol state.  Full updates of the part
 * (notify::data) reach the subclass as the update vfunc; streamed text is
 * the subclass's own business (it connects to notify::text in bind).
 *
 * The base lays its children out with a GtkBinLayout: a subclass adds
 * one child (a box or a template's root) and gets all the space.
 */

#include "config.h"

#include "ek-part-util.h"
#include "ek-part-widget.h"

#define STYLE_RESOURCE "/dev/ekacode/Ekacode/parts/style.css"

typedef struct
{
  EkPart        *part;
  char          *role;
  EkStreamClock *clock;
  gulong         data_handler;
} EkPartWidgetPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (EkPartWidget, ek_part_widget, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PART,
  PROP_ROLE,
  PROP_CLOCK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The parts' stylesheet goes on the default display once, the first
 * time any part widget type is initialised. */
static void
ensure_style (void)
{
  static gboolean done;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display;

  if (done)
    return;
  display = gdk_display_get_default ();
  if (display == NULL)
    return;
  done = TRUE;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, STYLE_RESOURCE);
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* The times a part carries, wherever its kind keeps them. */
static const char * const time_paths[] = {
  "time.start", "time.end", "time.created", "state.time.start", "state.time.end",
};

static void
note_times (EkPartWidget *self)
{
  EkPartWidgetPrivate *priv = ek_part_widget_get_instance_private (self);
  JsonObject *data;

  if (priv->clock == NULL || priv->part == NULL)
    return;
  data = ek_part_get_data (priv->part);
  for (guint i = 0; i < G_N_ELEMENTS (time_paths); i++)
    ek_stream_clock_note (priv->clock, ek_part_json_int (data, time_paths[i], 0));
}

static void
on_data_changed (EkPart       *part,
                 GParamSpec   *pspec,
                 EkPartWidget *self)
{
  note_times (self);
  EK_PART_WIDGET_GET_CLASS (self)->update (self);
}

static void
ek_part_widget_real_nothing (EkPartWidget *self,
                             EkPart       *part)
{
}

static void
ek_part_widget_real_update (EkPartWidget *self)
{
}

static void
ek_part_widget_dispose (GObject *object)
{
  EkPartWidget *self = EK_PART_WIDGET (object);
  GtkWidget *child;

  ek_part_widget_set_part (self, NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ek_part_widget_parent_class)->dispose (object);
}

static void
ek_part_widget_finalize (GObject *object)
{
  EkPartWidget *self = EK_PART_WIDGET (object);
  EkPartWidgetPrivate *priv = ek_part_widget_get_instance_private (self);

  g_free (priv->role);
  g_clear_object (&priv->clock);

  G_OBJECT_CLASS (ek_part_widget_parent_class)->finalize (object);
}

static void
ek_part_widget_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EkPartWidget *self = EK_PART_WIDGET (object);

  switch (prop_id)
    {
    case PROP_PART:
      g_value_set_object (value, ek_part_widget_get_part (self));
      break;
    case PROP_ROLE:
      g_value_set_string (value, ek_part_widget_get_role (self));
      break;
    case PROP_CLOCK:
      g_value_set_object (value, ek_part_widget_get_clock (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_part_widget_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EkPartWidget *self = EK_PART_WIDGET (object);

  switch (prop_id)
    {
    case PROP_PART:
      ek_part_widget_set_part (self, g_value_get_object (value));
      break;
    case PROP_ROLE:
      ek_part_widget_set_role (self, g_value_get_string (value));
      break;
    case PROP_CLOCK:
      ek_part_widget_set_clock (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_part_widget_class_init (EkPartWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_part_widget_dispose;
  object_class->finalize = ek_part_widget_finalize;
  object_class->get_property = ek_part_widget_get_property;
  object_class->set_property = ek_part_widget_set_property;

  klass->bind = ek_part_widget_real_nothing;
  klass->unbind = ek_part_widget_real_nothing;
  klass->update = ek_part_widget_real_update;

  /**
   * EkPartWidget:part:
   *
   * The part shown; a recycled widget may be given another part of the
   * kind it was made for.
   */
  properties[PROP_PART] =
    g_param_spec_object ("part", NULL, NULL, EK_TYPE_PART,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkPartWidget:role:
   *
   * The role of the part's message ("user" or "assistant").
   */
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkPartWidget:clock:
   *
   * The conversation's clock, for elapsed times; %NULL for the local
   * clock.
   */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, EK_TYPE_STREAM_CLOCK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ekpart");

  ensure_style ();
}

static void
ek_part_widget_init (EkPartWidget *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-part");
}

EkPart *
ek_part_widget_get_part (EkPartWidget *self)
{
  EkPartWidgetPrivate *priv;

  g_return_val_if_fail (EK_IS_PART_WIDGET (self), NULL);

  priv = ek_part_widget_get_instance_private (self);
  return priv->part;
}

/**
 * ek_part_widget_set_part:
 * @part: (nullable): the part to show
 *
 * Unbinds the current part (the subclass stops its timers and
 * disconnects), then binds @part and draws it.
 */
void
ek_part_widget_set_part (EkPartWidget *self,
                         EkPart       *part)
{
  EkPartWidgetPrivate *priv;
  EkPartWidgetClass *klass;

  g_return_if_fail (EK_IS_PART_WIDGET (self));
  g_return_if_fail (part == NULL || EK_IS_PART (part));

  priv = ek_part_widget_get_instance_private (self);
  klass = EK_PART_WIDGET_GET_CLASS (self);

  if (priv->part == part)
    return;

  if (priv->part != NULL)
    {
      g_autoptr(EkPart) old = g_steal_pointer (&priv->part);

      g_clear_signal_handler (&priv->data_handler, old);
      klass->unbind (self, old);
    }

  if (part != NULL)
    {
      priv->part = g_object_ref (part);
      priv->data_handler = g_signal_connect (part, "notify::data",
                                             G_CALLBACK (on_data_changed), self);
      note_times (self);
      klass->bind (self, part);
      klass->update (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PART]);
}

const char *
ek_part_widget_get_role (EkPartWidget *self)
{
  EkPartWidgetPrivate *priv;

  g_return_val_if_fail (EK_IS_PART_WIDGET (self), NULL);

  priv = ek_part_widget_get_instance_private (self);
  return priv->role;
}

void
ek_part_widget_set_role (EkPartWidget *self,
                         const char   *role)
{
  EkPartWidgetPrivate *priv;

  g_return_if_fail (EK_IS_PART_WIDGET (self));

  priv = ek_part_widget_get_instance_private (self);
  if (g_strcmp0 (priv->role, role) == 0)
    return;

  g_free (priv->role);
  priv->role = g_strdup (role);
  if (priv->part != NULL)
    EK_PART_WIDGET_GET_CLASS (self)->update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

JsonObject *
ek_part_widget_get_data (EkPartWidget *self)
{
  EkPartWidgetPrivate *priv;

  g_return_val_if_fail (EK_IS_PART_WIDGET (self), NULL);

  priv = ek_part_widget_get_instance_private (self);
  return priv->part != NULL ? ek_part_get_data (priv->part) : NULL;
}

EkStreamClock *
ek_part_widget_get_clock (EkPartWidget *self)
{
  EkPartWidgetPrivate *priv;

  g_return_val_if_fail (EK_IS_PART_WIDGET (self), NULL);

  priv = ek_part_widget_get_instance_private (self);
  return priv->clock;
}

void
ek_part_widget_set_clock (EkPartWidget  *self,
                          EkStreamClock *clock)
{
  EkPartWidgetPrivate *priv;

  g_return_if_fail (EK_IS_PART_WIDGET (self));
  g_return_if_fail (clock == NULL || EK_IS_STREAM_CLOCK (clock));

  priv = ek_part_widget_get_instance_private (self);
  if (!g_set_object (&priv->clock, clock))
    return;
  note_times (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

/**
 * ek_part_widget_now_ms:
 *
 * Returns: now for this part's conversation, in the server's
 *   milliseconds (see EkStreamClock)
 */
gint64
ek_part_widget_now_ms (EkPartWidget *self)
{
  g_return_val_if_fail (EK_IS_PART_WIDGET (self), 0);

  return ek_stream_clock_now_ms (ek_part_widget_get_clock (self));
}
