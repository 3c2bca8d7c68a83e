/* ek-application.c: the application, its options and actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command line opens a window: a replay (--replay, --demo), a live
 * server (--server, else the one in GSettings), or the welcome page.  A
 * server is written to GSettings once it has answered (the window does
 * that), never its password.  For tests and screenshots, --screenshot,
 * --quit-after-idle and --frame-stats act once the window has settled (the
 * replay is over, or the selected session's history is in and idle), and
 * make the instance non-unique so it never hands its work to another one.
 * For benchmarks (build-aux/bench-live), --prompt sends a prompt in a new
 * session once connected, --scroll-back scrolls back through an opened
 * history, and --timings writes what happened when (see EkBenchProbe);
 * --quit-after-idle then waits for the probe too.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-application.h"
#include "ek-bench-probe.h"
#include "ek-client.h"
#include "ek-frame-stats.h"
#include "ek-markdown-view.h"
#include "ek-part-registry.h"
#include "ek-replay-source.h"
#include "ek-ui-util.h"
#include "ek-window.h"

/* after the window settles, time for throttled redraws to land */
#define SETTLE_DELAY_US (400 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  EkApplication *app;
  GtkWidget     *window;      /* weak */
  char          *screenshot;
  gboolean       quit;
  gint64         settled_at;
  guint          poll_id;
  gulong         paint_id;
  GdkFrameClock *frame_clock;
} Automation;

struct _EkApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  EkFrameStats   *frame_stats;
  char           *frame_stats_path;
  EkBenchProbe   *probe;
  GPtrArray      *automations;
  int             exit_status;
};

G_DEFINE_FINAL_TYPE (EkApplication, ek_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Agent server to use, e.g. http://127.0.0.1:4096 (stored)"), N_("URL") },
  { "directory", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Project directory on the server (stored)"), N_("DIR") },
  { "session", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Session to open"), N_("ID") },
  { "password-env", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Environment variable that holds the server password (stored)"), N_("VAR") },
  { "replay", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Replay a recorded event stream, read only"), N_("FILE.sse") },
  { "speed", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
    N_("Replay pace: 1 as recorded, 2 twice as fast, 0 as fast as possible"), N_("X") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Replay the recorded demo session"), NULL },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Once everything is idle, save the window as a PNG image"), N_("OUT.png") },
  { "quit-after-idle", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Quit once everything is idle (after the screenshot)"), NULL },
  { "frame-stats", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("At exit, write the time of every frame as JSON"), N_("OUT.json") },
  { "prompt", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Once connected to the server, create a session, open it and send TEXT"), N_("TEXT") },
  { "scroll-back", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
    N_("Once the session's history is shown, scroll back through it for SECONDS"), N_("SECONDS") },
  { "timings", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write timings as JSON lines to OUT (- for standard output): the prompt, busy, idle, "
       "when the final text is drawn, when a history is drawn, and the start of every frame"),
    N_("OUT") },
  { NULL }
};

static void
automation_free (gpointer data)
{
  Automation *automation = data;

  g_clear_handle_id (&automation->poll_id, g_source_remove);
  if (automation->frame_clock != NULL)
    {
      g_clear_signal_handler (&automation->paint_id, automation->frame_clock);
      g_clear_object (&automation->frame_clock);
    }
  if (automation->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (automation->window), (gpointer *) &automation->window);
  g_free (automation->screenshot);
  g_free (automation);
}

static void
automation_finish (Automation *automation)
{
  EkApplication *self = automation->app;
  gboolean quit = automation->quit;

  if (automation->screenshot != NULL && automation->window != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!ek_widget_save_png (automation->window, automation->screenshot, &error))
        {
          g_printerr ("ekacode: cannot save the screenshot %s: %s\n", automation->screenshot, error->message);
          self->exit_status = 1;
        }
    }
  g_ptr_array_remove (self->automations, automation);

  if (quit)
    g_application_quit (G_APPLICATION (self));
}

static gboolean
automation_finish_idle (gpointer data)
{
  automation_finish (data);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock,
                Automation    *automation)
{
  g_clear_signal_handler (&automation->paint_id, automation->frame_clock);
  g_idle_add_full (G_PRIORITY_DEFAULT, automation_finish_idle, automation, NULL);
}

static gboolean
automation_poll (gpointer data)
{
  Automation *automation = data;
  EkApplication *self = automation->app;
  GdkFrameClock *clock;
  gint64 now = g_get_monotonic_time ();

  if (automation->window == NULL)
    {
      automation->poll_id = 0;
      automation_finish (automation);
      return G_SOURCE_REMOVE;
    }

  clock = gtk_widget_get_frame_clock (automation->window);
  if (clock == NULL || !ek_window_is_settled (EK_WINDOW (automation->window)) ||
      (self->probe != NULL && !ek_bench_probe_is_done (self->probe)))
    {
      automation->settled_at = 0;
      return G_SOURCE_CONTINUE;
    }
  if (automation->settled_at == 0)
    automation->settled_at = now;
  if (now - automation->settled_at < SETTLE_DELAY_US)
    return G_SOURCE_CONTINUE;
  /* a long text is still being laid out, a frame's budget at a time */
  if (ek_markdown_view_any_pending ())
    return G_SOURCE_CONTINUE;
  if (ek_sticky_scroll_get_pending (ek_chat_view_get_sticky_scroll (ek_window_get_chat_view (EK_WINDOW (automation->window)))))
    return G_SOURCE_CONTINUE;

  /* draw once more, then act */
  automation->poll_id = 0;
  automation->frame_clock = g_object_ref (clock);
  automation->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), automation);
  gtk_widget_queue_draw (automation->window);
  return G_SOURCE_REMOVE;
}

static void
automate (EkApplication *self,
          EkWindow      *window,
          const char    *screenshot,
          gboolean       quit)
{
  Automation *automation = g_new0 (Automation, 1);

  automation->app = self;
  automation->window = GTK_WIDGET (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &automation->window);
  automation->screenshot = g_strdup (screenshot);
  automation->quit = quit;
  automation->poll_id = g_timeout_add (50, automation_poll, automation);
  g_ptr_array_add (self->automations, automation);
}

/**
 * ek_application_load_demo:
 *
 * Returns: (transfer full): the demo recording, compiled into the binary
 */
GBytes *
ek_application_load_demo (GError **error)
{
  return g_resources_lookup_data (EK_APPLICATION_DEMO_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

static EkWindow *
window_for_new_source (EkApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (EK_IS_WINDOW (active) && ek_window_get_source (EK_WINDOW (active)) == NULL)
    return EK_WINDOW (active);
  return ek_window_new (GTK_APPLICATION (self));
}

static void
on_first_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_autoptr(EkReplaySource) source = user_data;

  g_signal_handlers_disconnect_by_func (clock, on_first_paint, user_data);
  ek_replay_source_start (source);
}

static void
start_replay (EkWindow       *window,
              EkReplaySource *source,
              double          speed,
              const char     *session_id)
{
  GdkFrameClock *clock;

  ek_replay_source_set_speed (source, speed);
  ek_window_set_source (window, EK_SOURCE (source));
  if (session_id != NULL)
    ek_window_set_preferred_session (window, session_id);
  gtk_window_present (GTK_WINDOW (window));

  /* the recording starts once the window is up, as a server's stream
   * would: its first paint is not the recording's work */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), g_object_ref (source));
  else
    ek_replay_source_start (source);
}

/* ---- actions ---- */

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  EkApplication *self = EK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* closing saves each window's size */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (G_APPLICATION (self));
}

static void
new_session_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (EK_IS_WINDOW (window))
    ek_window_new_session (EK_WINDOW (window));
}

static void
demo_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  EkApplication *self = EK_APPLICATION (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) demo = ek_application_load_demo (&error);
  g_autoptr(EkReplaySource) source = NULL;

  if (demo == NULL)
    {
      g_printerr ("ekacode: the demo is missing: %s\n", error->message);
      return;
    }
  source = ek_replay_source_new (demo, _("Demo"));
  start_replay (window_for_new_source (self), source, 1.0, NULL);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  static const char *developers[] = { "The Ekacode developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Ekacode"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Ekacode developers"),
                        "developers", developers,
                        "comments", _("A native desktop client for AI coding agents that speak the opencode protocol"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "new-session", new_session_action },
  { "demo", demo_action },
  { "about", about_action },
};

/* ---- GApplication ---- */

static int
ek_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  double speed;

  if (g_variant_dict_lookup (options, "speed", "d", &speed) && speed < 0)
    {
      g_printerr ("ekacode: --speed must be 0 or more\n");
      return 2;
    }
  if (g_variant_dict_contains (options, "replay") && g_variant_dict_contains (options, "demo"))
    {
      g_printerr ("ekacode: give --replay or --demo, not both\n");
      return 2;
    }
  if (g_variant_dict_contains (options, "prompt") &&
      (g_variant_dict_contains (options, "replay") || g_variant_dict_contains (options, "demo")))
    {
      g_printerr ("ekacode: --prompt needs a server, not a recording\n");
      return 2;
    }
  if (g_variant_dict_contains (options, "prompt") && g_variant_dict_contains (options, "scroll-back"))
    {
      g_printerr ("ekacode: give --prompt or --scroll-back, not both\n");
      return 2;
    }
  /* automated runs own their window: never hand them to another instance */
  if (g_variant_dict_contains (options, "screenshot") ||
      g_variant_dict_contains (options, "quit-after-idle") ||
      g_variant_dict_contains (options, "frame-stats") ||
      g_variant_dict_contains (options, "prompt") ||
      g_variant_dict_contains (options, "scroll-back") ||
      g_variant_dict_contains (options, "timings"))
    g_application_set_flags (application,
                             g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);

  return G_APPLICATION_CLASS (ek_application_parent_class)->handle_local_options (application, options);
}

static char *
get_setting (EkApplication *self,
             const char    *key)
{
  g_autofree char *value = self->settings ? g_settings_get_string (self->settings, key) : NULL;

  return value != NULL && *value != '\0' ? g_steal_pointer (&value) : NULL;
}

/* The server to open: --server, else the last one that answered.  The
 * password comes from --password-env, else the variable remembered with
 * the server, else the server's own OPENCODE_SERVER_PASSWORD if it is set;
 * without one, the window asks when the server wants it. */
static EkClient *
make_client (EkApplication           *self,
             GApplicationCommandLine *command_line,
             const char              *server,
             const char              *directory,
             const char              *password_env,
             char                   **used_password_env)
{
  g_autofree char *stored_url = get_setting (self, "server-url");
  g_autofree char *stored_directory = NULL;
  g_autofree char *stored_password_env = NULL;
  g_autofree char *username = get_setting (self, "username");
  g_autofree char *path = NULL;
  g_autoptr(EkClient) client = NULL;
  g_autoptr(GError) error = NULL;
  gboolean stored = server == NULL;

  if (server == NULL && stored_url == NULL)
    return NULL;
  if (stored)
    {
      stored_directory = get_setting (self, "directory");
      stored_password_env = get_setting (self, "password-env");
    }

  if (directory != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, directory);

      path = g_file_get_path (file);
      if (path == NULL)
        path = g_strdup (directory);
    }
  else if (stored_directory != NULL)
    path = g_steal_pointer (&stored_directory);
  else
    path = g_strdup (g_application_command_line_get_cwd (command_line));
  if (path == NULL)
    path = g_get_current_dir ();

  client = ek_client_new (stored ? stored_url : server, path);
  if (username != NULL)
    ek_client_set_username (client, username);

  if (password_env == NULL)
    password_env = stored_password_env;
  if (password_env != NULL)
    {
      if (!ek_client_set_password_from_env (client, password_env, &error))
        g_application_command_line_printerr (command_line, "ekacode: %s\n", error->message);
      *used_password_env = g_strdup (password_env);
    }
  else
    ek_client_set_password_from_env (client, NULL, NULL);

  return g_steal_pointer (&client);
}

static int
ek_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  EkApplication *self = EK_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *server = NULL;
  const char *directory = NULL;
  const char *session_id = NULL;
  const char *password_env = NULL;
  const char *replay = NULL;
  const char *screenshot = NULL;
  const char *frame_stats = NULL;
  const char *prompt = NULL;
  const char *timings = NULL;
  double scroll_back = 0;
  gboolean demo = FALSE;
  gboolean quit_after_idle = FALSE;
  double speed = 0;
  gboolean have_speed;
  g_autoptr(EkReplaySource) source = NULL;
  g_autoptr(EkClient) client = NULL;
  g_autofree char *used_password_env = NULL;
  g_autoptr(GError) error = NULL;
  EkWindow *window;

  g_variant_dict_lookup (options, "server", "&s", &server);
  g_variant_dict_lookup (options, "directory", "^&ay", &directory);
  g_variant_dict_lookup (options, "session", "&s", &session_id);
  g_variant_dict_lookup (options, "password-env", "&s", &password_env);
  g_variant_dict_lookup (options, "replay", "^&ay", &replay);
  g_variant_dict_lookup (options, "screenshot", "^&ay", &screenshot);
  g_variant_dict_lookup (options, "frame-stats", "^&ay", &frame_stats);
  g_variant_dict_lookup (options, "prompt", "&s", &prompt);
  g_variant_dict_lookup (options, "timings", "^&ay", &timings);
  g_variant_dict_lookup (options, "scroll-back", "d", &scroll_back);
  g_variant_dict_lookup (options, "demo", "b", &demo);
  g_variant_dict_lookup (options, "quit-after-idle", "b", &quit_after_idle);
  have_speed = g_variant_dict_lookup (options, "speed", "d", &speed);

  if (replay != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, replay);

      source = ek_replay_source_new_for_file (file, &error);
      if (source == NULL)
        {
          g_application_command_line_printerr (command_line, "ekacode: cannot read %s: %s\n",
                                               replay, error->message);
          return 2;
        }
    }
  else if (demo)
    {
      g_autoptr(GBytes) bytes = ek_application_load_demo (&error);

      if (bytes == NULL)
        {
          g_application_command_line_printerr (command_line, "ekacode: the demo is missing: %s\n",
                                               error->message);
          return 2;
        }
      source = ek_replay_source_new (bytes, _("Demo"));
      if (!have_speed)
        speed = 1.0;
    }

  if (source == NULL && server == NULL && screenshot == NULL && !quit_after_idle && frame_stats == NULL &&
      prompt == NULL && timings == NULL && scroll_back <= 0 &&
      EK_IS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (self))))
    {
      /* a second launch without work: bring the window up */
      gtk_window_present (gtk_application_get_active_window (GTK_APPLICATION (self)));
      return 0;
    }

  if (source == NULL)
    client = make_client (self, command_line, server, directory, password_env, &used_password_env);

  window = source || client ? window_for_new_source (self) : ek_window_new (GTK_APPLICATION (self));

  if (frame_stats != NULL && self->frame_stats == NULL)
    {
      self->frame_stats = ek_frame_stats_new (GTK_WIDGET (window));
      self->frame_stats_path = g_strdup (frame_stats);
    }

  if ((prompt != NULL || timings != NULL || scroll_back > 0) && self->probe == NULL)
    {
      self->probe = ek_bench_probe_new (window, timings, &error);
      if (self->probe == NULL)
        {
          g_application_command_line_printerr (command_line, "ekacode: cannot write the timings: %s\n",
                                               error->message);
          return 2;
        }
      if (prompt != NULL)
        ek_bench_probe_set_prompt (self->probe, prompt);
      if (scroll_back > 0)
        ek_bench_probe_set_scroll_back (self->probe, scroll_back);
    }

  if (source != NULL)
    start_replay (window, source, speed, session_id);
  else if (client != NULL)
    {
      ek_window_open_server (window, client, used_password_env, session_id);
      gtk_window_present (GTK_WINDOW (window));
    }
  else
    {
      ek_window_show_welcome (window, NULL);
      gtk_window_present (GTK_WINDOW (window));
    }

  if (screenshot != NULL || quit_after_idle)
    {
      /* no crossfade caught half-way in the picture */
      if (screenshot != NULL)
        g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      automate (self, window, screenshot, quit_after_idle);
    }

  return 0;
}

static void
ek_application_startup (GApplication *application)
{
  EkApplication *self = EK_APPLICATION (application);
  GSettingsSchemaSource *schemas = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_session_accels[] = { "<Control>n", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (ek_application_parent_class)->startup (application);

  schema = schemas ? g_settings_schema_source_lookup (schemas, APP_ID, TRUE) : NULL;
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_printerr ("ekacode: the settings schema %s is not installed; settings will not be kept\n", APP_ID);

  ek_part_registry_ensure_defaults ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-session", new_session_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

static void
ek_application_shutdown (GApplication *application)
{
  EkApplication *self = EK_APPLICATION (application);

  if (self->probe != NULL)
    ek_bench_probe_finish (self->probe);
  if (self->frame_stats != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!ek_frame_stats_write (self->frame_stats, self->frame_stats_path, &error))
        {
          g_printerr ("ekacode: cannot write %s: %s\n", self->frame_stats_path, error->message);
          self->exit_status = 1;
        }
    }
  g_ptr_array_set_size (self->automations, 0);

  G_APPLICATION_CLASS (ek_application_parent_class)->shutdown (application);
}

static void
ek_application_finalize (GObject *object)
{
  EkApplication *self = EK_APPLICATION (object);

  g_clear_pointer (&self->automations, g_ptr_array_unref);
  g_clear_object (&self->frame_stats);
  g_clear_object (&self->probe);
  g_clear_pointer (&self->frame_stats_path, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ek_application_parent_class)->finalize (object);
}

static void
ek_application_class_init (EkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ek_application_finalize;

  app_class->handle_local_options = ek_application_handle_local_options;
  app_class->command_line = ek_application_command_line;
  app_class->startup = ek_application_startup;
  app_class->shutdown = ek_application_shutdown;
}

static void
ek_application_init (EkApplication *self)
{
  self->automations = g_ptr_array_new_with_free_func (automation_free);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("A desktop client for AI coding agents (opencode servers)."));
}

EkApplication *
ek_application_new (void)
{
  return g_object_new (EK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", EK_APPLICATION_RESOURCE_PATH,
                       NULL);
}

/**
 * ek_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, %NULL when the
 *   schema is not installed
 */
GSettings *
ek_application_get_settings (EkApplication *self)
{
  g_return_val_if_fail (EK_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * ek_application_get_exit_status:
 *
 * Returns: non-zero when something failed after the command line was
 *   handled (a screenshot or the frame statistics could not be written)
 */
int
ek_application_get_exit_status (EkApplication *self)
{
  g_return_val_if_fail (EK_IS_APPLICATION (self), 1);
  return self->exit_status;
}
