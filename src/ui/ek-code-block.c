/* ek-code-block.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read-only, syntax highlighted block of code: a small header with the
 * language name and a copy button above a GtkSourceView that scrolls
 * sideways instead of widening the window.  The style scheme follows the
 * light or dark look of the surrounding theme.
 *
 * Height.  A GtkTextView knows its height only once it has laid out its
 * lines, which it does while it is being allocated; the resize it asks for
 * then is lost, so a block whose text arrived in one piece stayed a line
 * or more too short inside a list row.  So the view asks for at least its
 * lines times the font's line height from the start, and once it has laid
 * out its text (its vertical adjustment changes), a tick callback checks
 * at the start of the next frame that the allocation matches and asks for
 * a resize if it does not.
 */

#include <string.h>

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "ek-code-block.h"
#include "ek-ui-util.h"

#define COPIED_FEEDBACK_MS 1500

struct _EkCodeBlock
{
  GtkWidget        parent_instance;

  char            *language;
  GString         *code;

  GtkWidget       *header;
  GtkWidget       *language_label;
  GtkWidget       *copy_button;
  GtkWidget       *scroller;
  GtkWidget       *view;
  GtkSourceBuffer *buffer;

  const char      *scheme_id;
  guint            copied_source;
  guint            n_lines;
  int              line_height;
  guint            resize_tick;
  gboolean         font_changed;
};

G_DEFINE_FINAL_TYPE (EkCodeBlock, ek_code_block, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LANGUAGE,
  PROP_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Fence info words that are not GtkSourceView language ids. */
static const struct {
  const char *alias;
  const char *id;
} language_aliases[] = {
  { "bash", "sh" },
  { "c#", "c-sharp" },
  { "c++", "cpp" },
  { "cc", "cpp" },
  { "cjs", "js" },
  { "console", "sh" },
  { "cs", "c-sharp" },
  { "csharp", "c-sharp" },
  { "cxx", "cpp" },
  { "dockerfile", "docker" },
  { "golang", "go" },
  { "h", "chdr" },
  { "hcl", "terraform" },
  { "hpp", "cpphdr" },
  { "htm", "html" },
  { "javascript", "js" },
  { "jsonc", "json" },
  { "json5", "json" },
  { "kt", "kotlin" },
  { "kts", "kotlin" },
  { "make", "makefile" },
  { "md", "markdown" },
  { "mjs", "js" },
  { "node", "js" },
  { "objective-c", "objc" },
  { "patch", "diff" },
  { "protobuf", "proto" },
  { "ps1", "powershell" },
  { "pwsh", "powershell" },
  { "py", "python3" },
  { "py3", "python3" },
  { "python", "python3" },
  { "rb", "ruby" },
  { "rs", "rust" },
  { "shell", "sh" },
  { "shell-session", "sh" },
  { "svg", "xml" },
  { "tex", "latex" },
  { "tf", "terraform" },
  { "ts", "typescript" },
  { "tsx", "typescript-jsx" },
  { "udiff", "diff" },
  { "vb", "vbnet" },
  { "yml", "yaml" },
  { "zsh", "sh" },
};

static GtkSourceLanguage *
lookup_language (const char *name)
{
  GtkSourceLanguageManager *manager;
  GtkSourceLanguage *language;
  g_autofree char *lower = NULL;
  g_autofree char *filename = NULL;
  const char *id;

  if (name == NULL || name[0] == '\0')
    return NULL;

  manager = gtk_source_language_manager_get_default ();
  lower = g_ascii_strdown (name, -1);
  id = lower;

  for (guint i = 0; i < G_N_ELEMENTS (language_aliases); i++)
    {
      if (strcmp (language_aliases[i].alias, lower) == 0)
        {
          id = language_aliases[i].id;
          break;
        }
    }

  language = gtk_source_language_manager_get_language (manager, id);
  if (language != NULL)
    return language;

  /* Treat the word as a file extension ("lua", "vala", "mk", ...). */
  if (strchr (lower, '/') != NULL)
    return NULL;
  filename = g_strconcat ("snippet.", lower, NULL);
  return gtk_source_language_manager_guess_language (manager, filename, NULL);
}

static void
ek_code_block_update_scheme (EkCodeBlock *self)
{
  GtkSourceStyleSchemeManager *manager;
  GtkSourceStyleScheme *scheme;
  GtkStyleContext *context;
  GdkRGBA color;
  double luminance;
  const char *id;

  /* A light foreground colour means a dark theme, whichever way it was
   * chosen (AdwStyleManager, GtkSettings or a custom theme).  Until the
   * block is in a window its style says nothing: assume light. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      context = gtk_widget_get_style_context (GTK_WIDGET (self));
      gtk_style_context_get_color (context, &color);
      G_GNUC_END_IGNORE_DEPRECATIONS

      luminance = 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue;
    }
  else
    {
      luminance = 0.0;
    }
  id = luminance > 0.5 ? "Adwaita-dark" : "Adwaita";

  if (g_strcmp0 (self->scheme_id, id) == 0)
    return;

  manager = gtk_source_style_scheme_manager_get_default ();
  scheme = gtk_source_style_scheme_manager_get_scheme (manager, id);
  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (manager,
                                                         luminance > 0.5 ? "classic-dark" : "classic");

  self->scheme_id = id;
  gtk_source_buffer_set_style_scheme (self->buffer, scheme);
}

/* A line is at least the font's ascent plus descent, in whole pixels
 * (taller lines, in a fallback font, are caught by check_height()). */
static void
update_line_height (EkCodeBlock *self)
{
  PangoContext *context = gtk_widget_get_pango_context (self->view);
  PangoFontMetrics *metrics;

  metrics = pango_context_get_metrics (context, pango_context_get_font_description (context), NULL);
  self->line_height = (pango_font_metrics_get_ascent (metrics) +
                       pango_font_metrics_get_descent (metrics)) / PANGO_SCALE;
  pango_font_metrics_unref (metrics);
}

static void
update_min_height (EkCodeBlock *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->view);
  int height = 0;

  if (self->line_height == 0)
    update_line_height (self);
  /* the buffer's line count: the final newline is not in the buffer */
  if (self->code->len > 0)
    height = (int) (self->n_lines + 1) * self->line_height;
  gtk_widget_set_size_request (self->view, -1,
                               height +
                               gtk_text_view_get_top_margin (view) +
                               gtk_text_view_get_bottom_margin (view));
}

static gboolean
check_height (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  EkCodeBlock *self = EK_CODE_BLOCK (widget);
  int min, nat;

  self->resize_tick = 0;
  if (self->font_changed)
    {
      self->font_changed = FALSE;
      update_line_height (self);
      update_min_height (self);
    }
  gtk_widget_measure (self->view, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (self->view),
                      &min, &nat, NULL, NULL);
  if (nat != gtk_widget_get_height (self->view))
    gtk_widget_queue_resize (self->view);
  return G_SOURCE_REMOVE;
}

/* Checks the height at the start of the next frame, outside any
 * allocation, where a resize is not lost. */
static void
queue_check_height (EkCodeBlock *self)
{
  if (self->resize_tick == 0)
    self->resize_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), check_height, NULL, NULL);
}

static void
on_vadjustment_changed (GtkAdjustment *adjustment,
                        EkCodeBlock   *self)
{
  queue_check_height (self);
}

static void
on_view_vadjustment (GtkWidget   *view,
                     GParamSpec  *pspec,
                     EkCodeBlock *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

  if (adjustment != NULL)
    g_signal_connect_object (adjustment, "changed", G_CALLBACK (on_vadjustment_changed), self, 0);
}

static guint
count_lines (const char *text,
             gsize       len)
{
  guint n = 0;

  for (const char *p = memchr (text, '\n', len); p != NULL; p = memchr (p + 1, '\n', len - (p + 1 - text)))
    n++;
  return n;
}

static gboolean
reset_copy_icon (gpointer user_data)
{
  EkCodeBlock *self = user_data;

  self->copied_source = 0;
  gtk_button_set_icon_name (GTK_BUTTON (self->copy_button), "edit-copy-symbolic");
  ek_widget_set_tooltip (self->copy_button, _("Copy"));

  return G_SOURCE_REMOVE;
}

static void
on_copy_clicked (EkCodeBlock *self)
{
  GdkClipboard *clipboard;

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, self->code->str);

  gtk_button_set_icon_name (GTK_BUTTON (self->copy_button), "object-select-symbolic");
  ek_widget_set_tooltip (self->copy_button, _("Copied"));

  g_clear_handle_id (&self->copied_source, g_source_remove);
  self->copied_source = g_timeout_add (COPIED_FEEDBACK_MS, reset_copy_icon, self);
}

static void
on_view_focus_changed (GtkWidget  *view,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  if (!gtk_widget_has_focus (view))
    gtk_widget_set_focusable (view, FALSE);
}

/* The text view is not focusable, so that presenting a window or tabbing
 * through a chat does not land in every code block.  A press on the text
 * makes it focusable just before its own gesture grabs focus, so selecting
 * and Ctrl+C still work; it stops being focusable when focus leaves. */
static void
on_capture_pressed (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    EkCodeBlock     *self)
{
  GtkWidget *target;

  target = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  for (; target != NULL && target != GTK_WIDGET (self); target = gtk_widget_get_parent (target))
    {
      if (target == self->view)
        {
          gtk_widget_set_focusable (self->view, TRUE);
          break;
        }
    }
}

static void
ek_code_block_set_language (EkCodeBlock *self,
                            const char  *language)
{
  GtkSourceLanguage *source_language;

  g_free (self->language);
  self->language = (language != NULL && language[0] != '\0') ? g_strdup (language) : NULL;

  source_language = lookup_language (self->language);
  gtk_source_buffer_set_language (self->buffer, source_language);
  gtk_label_set_text (GTK_LABEL (self->language_label),
                      self->language != NULL ? self->language : "");
}

static void
ek_code_block_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (ek_code_block_parent_class)->css_changed (widget, change);

  ek_code_block_update_scheme (EK_CODE_BLOCK (widget));
  /* the view's font may have changed: measure it once its style is
   * up to date */
  EK_CODE_BLOCK (widget)->font_changed = TRUE;
  queue_check_height (EK_CODE_BLOCK (widget));
}

static void
ek_code_block_dispose (GObject *object)
{
  EkCodeBlock *self = EK_CODE_BLOCK (object);

  g_clear_handle_id (&self->copied_source, g_source_remove);
  if (self->resize_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->resize_tick);
      self->resize_tick = 0;
    }
  g_clear_pointer (&self->header, gtk_widget_unparent);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  self->view = NULL;
  self->language_label = NULL;
  self->copy_button = NULL;
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (ek_code_block_parent_class)->dispose (object);
}

static void
ek_code_block_finalize (GObject *object)
{
  EkCodeBlock *self = EK_CODE_BLOCK (object);

  g_free (self->language);
  g_string_free (self->code, TRUE);

  G_OBJECT_CLASS (ek_code_block_parent_class)->finalize (object);
}

static void
ek_code_block_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EkCodeBlock *self = EK_CODE_BLOCK (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;

    case PROP_CODE:
      g_value_set_string (value, self->code->str);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_code_block_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EkCodeBlock *self = EK_CODE_BLOCK (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      ek_code_block_set_language (self, g_value_get_string (value));
      break;

    case PROP_CODE:
      ek_code_block_set_code (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_code_block_class_init (EkCodeBlockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /* Idempotent; GtkSourceView wants it before use. */
  gtk_source_init ();

  object_class->dispose = ek_code_block_dispose;
  object_class->finalize = ek_code_block_finalize;
  object_class->get_property = ek_code_block_get_property;
  object_class->set_property = ek_code_block_set_property;

  widget_class->css_changed = ek_code_block_css_changed;

  /**
   * EkCodeBlock:language:
   *
   * The language word of the fence info string, as written.
   */
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * EkCodeBlock:code:
   *
   * The code shown, without the final newline.
   */
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "codeblock");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ek_code_block_init (EkCodeBlock *self)
{
  GtkLayoutManager *layout;
  GtkGesture *gesture;

  self->code = g_string_new (NULL);

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  gtk_widget_add_css_class (GTK_WIDGET (self), "code-block");
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->header, "code-block-header");
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  self->language_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->language_label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (self->language_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->language_label, TRUE);
  gtk_widget_add_css_class (self->language_label, "code-block-language");
  gtk_widget_add_css_class (self->language_label, "caption");
  gtk_widget_add_css_class (self->language_label, "dim-label");
  gtk_box_append (GTK_BOX (self->header), self->language_label);

  self->copy_button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  ek_widget_set_tooltip (self->copy_button, _("Copy"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy code"),
                                  -1);
  gtk_widget_set_focus_on_click (self->copy_button, FALSE);
  gtk_widget_set_valign (self->copy_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->copy_button, "flat");
  gtk_widget_add_css_class (self->copy_button, "code-block-copy");
  g_signal_connect_swapped (self->copy_button, "clicked",
                            G_CALLBACK (on_copy_clicked), self);
  gtk_box_append (GTK_BOX (self->header), self->copy_button);

  self->buffer = gtk_source_buffer_new (NULL);
  gtk_text_buffer_set_enable_undo (GTK_TEXT_BUFFER (self->buffer), FALSE);
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, FALSE);
  gtk_source_buffer_set_highlight_syntax (self->buffer, TRUE);

  self->view = gtk_source_view_new_with_buffer (self->buffer);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->view), GTK_WRAP_NONE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->view), 8);
  /* Room for the overlay scrollbar under the last line. */
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_source_view_set_tab_width (GTK_SOURCE_VIEW (self->view), 4);
  gtk_widget_set_focusable (self->view, FALSE);
  gtk_widget_add_css_class (self->view, "code-block-view");
  g_signal_connect (self->view, "notify::has-focus",
                    G_CALLBACK (on_view_focus_changed), NULL);
  g_signal_connect (self->view, "notify::vadjustment",
                    G_CALLBACK (on_view_vadjustment), self);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->view);
  gtk_widget_set_hexpand (self->scroller, TRUE);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_capture_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  ek_code_block_update_scheme (self);
}

/**
 * ek_code_block_new:
 * @language: (nullable): the fence's language word, e.g. "python"
 * @code: (nullable): the code
 *
 * Returns: a new #EkCodeBlock
 */
GtkWidget *
ek_code_block_new (const char *language,
                   const char *code)
{
  return g_object_new (EK_TYPE_CODE_BLOCK,
                       "language", language,
                       "code", code,
                       NULL);
}

const char *
ek_code_block_get_language (EkCodeBlock *self)
{
  g_return_val_if_fail (EK_IS_CODE_BLOCK (self), NULL);

  return self->language;
}

const char *
ek_code_block_get_code (EkCodeBlock *self)
{
  g_return_val_if_fail (EK_IS_CODE_BLOCK (self), NULL);

  return self->code->str;
}

/**
 * ek_code_block_set_code:
 * @self: a #EkCodeBlock
 * @code: (nullable): the code; one final newline is not shown
 *
 * Sets the code.  When the new code extends the old one, as it does while
 * a reply streams, only the new end is inserted so the highlighter works on
 * the change alone.
 */
void
ek_code_block_set_code (EkCodeBlock *self,
                        const char  *code)
{
  GtkTextBuffer *buffer;
  gsize len;

  g_return_if_fail (EK_IS_CODE_BLOCK (self));

  if (code == NULL)
    code = "";

  len = strlen (code);
  if (len > 0 && code[len - 1] == '\n')
    len--;

  if (len == self->code->len && memcmp (code, self->code->str, len) == 0)
    return;

  buffer = GTK_TEXT_BUFFER (self->buffer);

  if (len > self->code->len && memcmp (code, self->code->str, self->code->len) == 0)
    {
      GtkTextIter end;

      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, code + self->code->len, len - self->code->len);
      self->n_lines += count_lines (code + self->code->len, len - self->code->len);
      g_string_append_len (self->code, code + self->code->len, len - self->code->len);
    }
  else
    {
      g_string_truncate (self->code, 0);
      g_string_append_len (self->code, code, len);
      gtk_text_buffer_set_text (buffer, self->code->str, self->code->len);
      self->n_lines = count_lines (self->code->str, self->code->len);
    }
  update_min_height (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

/**
 * ek_code_block_get_view:
 * @self: a #EkCodeBlock
 *
 * Returns: (transfer none): the #GtkSourceView showing the code
 */
GtkWidget *
ek_code_block_get_view (EkCodeBlock *self)
{
  g_return_val_if_fail (EK_IS_CODE_BLOCK (self), NULL);

  return self->view;
}

/**
 * ek_code_block_get_scheme_id:
 * @self: a #EkCodeBlock
 *
 * Returns: the id of the style scheme in use ("Adwaita" or "Adwaita-dark")
 */
const char *
ek_code_block_get_scheme_id (EkCodeBlock *self)
{
  g_return_val_if_fail (EK_IS_CODE_BLOCK (self), NULL);

  return self->scheme_id;
}
