/* ek-markdown-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows Markdown (as written by an assistant) with GTK widgets: one widget
 * per top-level block, stacked vertically.
 *
 * Streaming.  The text is set again and again, each time a little longer.
 * It is cut into "segments" at lines where one md4c parse of the whole
 * text would start a new top-level block, and at every top-level list
 * item so that long lists are not one block.  Each segment is parsed by
 * md4c on its own.  When the new text extends the old one, only the
 * segments from the last one of the previous render on are cut and parsed
 * again (from the one before if the last one's first line was unfinished,
 * as its meaning could still change), and their new blocks are compared
 * with the old ones: equal blocks keep their widgets, blocks of the same
 * shape are updated in place (label markup, code appended to the buffer,
 * table rows added), the others are built.  So the work per update does
 * not depend on what is already shown, apart from the prefix comparison.
 *
 * The splitter follows md4c's own line analysis, quirks included, so that
 * the segments parse exactly like the whole text (a test checks this on
 * random documents).  Where it cannot be sure, it merges the line into the
 * current segment, which cannot misplace that line since md4c parses a
 * segment as a whole.  Numbers of ordered list items continue from the previous
 * segment's list.  Link reference definitions are collected and put in
 * front of every segment, so links resolve across segments.
 *
 * Long texts.  A text that arrives with more than LONG_TEXT_BYTES not yet
 * shown (a whole answer fetched at once, a long message of a history) is
 * not parsed as a whole: it is cut into chunks of about CHUNK_BYTES at the
 * start of a paragraph or heading (after a blank line, outside code
 * fences), where a parse of the whole text would start a new top-level
 * block too.  Each chunk is shown by a view of its own, created only when
 * the chunk comes near the visible part of the scrolled window the view is
 * in; until then an EkMarkdownPlaceholder of about the chunk's height
 * stands in for it, and a new chunk view keeps that height until its
 * blocks are built, so that what is on screen does not jump.  So a 2 MB
 * answer costs a scan for chunk starts, and then the layout of what is
 * looked at.  A chunk is parsed alone: a link reference definition is
 * only seen in its own chunk.  While the text grows, only the last
 * chunk is extended.
 *
 * Safety.  Every piece of text from the server goes through
 * g_markup_escape_text(); the only markup is the one built here.  Raw HTML
 * is disabled in the parser, so "<b>" stays literal text, and so do
 * entities such as "&amp;".  Links are clickable only for http, https,
 * mailto and file URIs, and only open when clicked.
 */

#include <string.h>

#include <md4c.h>

#include "ek-code-block.h"
#include "ek-markdown-placeholder.h"
#include "ek-markdown-view.h"

#define PARSER_FLAGS (MD_FLAG_TABLES | \
                      MD_FLAG_STRIKETHROUGH | \
                      MD_FLAG_TASKLISTS | \
                      MD_FLAG_PERMISSIVEAUTOLINKS | \
                      MD_FLAG_NOHTML)

#define BLOCK_SPACING         12
#define HEADING_SPACING       18
#define AFTER_HEADING_SPACING  6
#define ITEM_SPACING           6
#define TABLE_CELL_MAX_CHARS  40

/* A paragraph's or heading's narrowest width, in characters.  GTK measures
 * a wrapping label's minimum width by laying its text out at that width:
 * at 0 (no width-chars) every word is a line of its own, and Pango splits
 * and shapes the text again word by word, the costliest of a label's
 * layouts.  At a dozen characters a long answer lays out twice as fast. */
#define TEXT_MIN_CHARS        12

/* Blocks are grouped in boxes of this many, so that a change at the end of
 * a long text re-allocates a few dozen widgets, not every block. */
#define BLOCKS_PER_PAGE       32

/* How much new text one frame shows, in all views together: blocks are
 * built until this many bytes of text or this much time (µs) is spent, at
 * least one block.  GTK then measures the new labels in the same frame,
 * which costs several times the building, so the byte count is what
 * bounds a frame.  A view that is not realized builds nothing: it is not
 * on screen yet, and when it comes (a list view's new row, a chat being
 * opened) that frame has enough to lay out. */
#define FRAME_BUDGET_BYTES  1000
#define FRAME_BUDGET_US     (3 * G_TIME_SPAN_MILLISECOND)

/* Chunked mode: entered when a text brings more than LONG_TEXT_BYTES to
 * show at once (about a second of frames), left when the text becomes
 * shorter than half of it; chunks are at least CHUNK_BYTES long (about
 * eight frames, so that a chunk that comes into view is soon built). */
#define LONG_TEXT_BYTES     (64 * 1024)
#define CHUNK_BYTES         (8 * 1024)

#define CSS_DATA_KEY     "ek-markdown-view-css"
#define CONTENT_DATA_KEY "ek-markdown-content"

/* ------------------------------------------------------------------------ */
/* Parsed blocks                                                            */
/* ------------------------------------------------------------------------ */

typedef enum
{
  NODE_DOCUMENT,
  NODE_PARAGRAPH,
  NODE_HEADING,
  NODE_CODE,
  NODE_RULE,
  NODE_QUOTE,
  NODE_LIST,
  NODE_ITEM,
  NODE_TABLE,
  NODE_ROW,
  NODE_CELL,
} NodeKind;

typedef struct _Node Node;

struct _Node
{
  NodeKind   kind;
  Node      *parent;
  GPtrArray *children;   /* (element-type Node) */
  GString   *markup;     /* inline Pango markup, built from escaped text */
  GString   *text;       /* plain text; the code of a code block */
  char      *lang;       /* code block language word */
  GtkWidget *widget;     /* (unowned) the widget showing this node */
  guint      number;     /* list: first number; item: its number */
  guint8     level;      /* heading level */
  char       mark;       /* list: bullet character or delimiter */
  gint8      task;       /* item: 0 not a task, 1 open, 2 done */
  char       task_mark;  /* item: the character between the brackets */
  gint8      align;      /* cell: MD_ALIGN */
  guint      ordered : 1;
  guint      header : 1;
  guint      continued : 1; /* top-level list continuing the previous one */
};

static void
node_free (gpointer data)
{
  Node *node = data;

  if (node == NULL)
    return;

  g_ptr_array_unref (node->children);
  g_string_free (node->markup, TRUE);
  g_string_free (node->text, TRUE);
  g_free (node->lang);
  g_free (node);
}

static Node *
node_new (NodeKind  kind,
          Node     *parent)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  node->parent = parent;
  node->children = g_ptr_array_new_with_free_func (node_free);
  node->markup = g_string_new (NULL);
  node->text = g_string_new (NULL);

  if (parent != NULL)
    g_ptr_array_add (parent->children, node);

  return node;
}

static gboolean
node_equal (const Node *a,
            const Node *b)
{
  if (a->kind != b->kind ||
      a->number != b->number ||
      a->level != b->level ||
      a->mark != b->mark ||
      a->task != b->task ||
      a->task_mark != b->task_mark ||
      a->align != b->align ||
      a->ordered != b->ordered ||
      a->header != b->header ||
      a->children->len != b->children->len ||
      g_strcmp0 (a->lang, b->lang) != 0 ||
      !g_string_equal (a->markup, b->markup) ||
      !g_string_equal (a->text, b->text))
    return FALSE;

  for (guint i = 0; i < a->children->len; i++)
    {
      if (!node_equal (g_ptr_array_index (a->children, i),
                       g_ptr_array_index (b->children, i)))
        return FALSE;
    }

  return TRUE;
}

/* Numbers the items of ordered lists from their list's first number. */
static void
node_number_lists (Node *node)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      Node *child = g_ptr_array_index (node->children, i);

      if (node->kind == NODE_LIST && node->ordered)
        child->number = node->number + i;

      node_number_lists (child);
    }
}

static guint
list_next_number (const Node *list)
{
  return list->number + list->children->len;
}

/* ------------------------------------------------------------------------ */
/* md4c to nodes                                                            */
/* ------------------------------------------------------------------------ */

typedef struct
{
  Node      *root;
  Node      *current;   /* innermost open block */
  Node      *leaf;      /* where inline content goes, or NULL */
  GPtrArray *closers;   /* closing tags of the open spans */
  gboolean   in_head;
} Parser;

static char *
attribute_dup (const MD_ATTRIBUTE *attr)
{
  GString *str;

  if (attr == NULL || attr->text == NULL || attr->size == 0)
    return NULL;

  str = g_string_sized_new (attr->size);
  for (guint i = 0; attr->substr_offsets[i] < attr->size; i++)
    {
      MD_OFFSET begin = attr->substr_offsets[i];
      MD_OFFSET end = attr->substr_offsets[i + 1];

      if (attr->substr_types[i] == MD_TEXT_NULLCHAR)
        g_string_append (str, "\xef\xbf\xbd");
      else
        g_string_append_len (str, attr->text + begin, end - begin);
    }

  return g_string_free (str, FALSE);
}

static Node *
parser_leaf (Parser *p)
{
  if (p->leaf != NULL)
    return p->leaf;

  switch (p->current->kind)
    {
    case NODE_PARAGRAPH:
    case NODE_HEADING:
    case NODE_CELL:
    case NODE_CODE:
      p->leaf = p->current;
      break;

    case NODE_DOCUMENT:
    case NODE_RULE:
    case NODE_QUOTE:
    case NODE_LIST:
    case NODE_ITEM:
    case NODE_TABLE:
    case NODE_ROW:
    default:
      /* Text of a tight list item: give it a paragraph of its own. */
      p->leaf = node_new (NODE_PARAGRAPH, p->current);
      break;
    }

  return p->leaf;
}

static int
parser_enter_block (MD_BLOCKTYPE  type,
                    void         *detail,
                    void         *user_data)
{
  Parser *p = user_data;
  Node *node;

  p->leaf = NULL;

  switch (type)
    {
    case MD_BLOCK_DOC:
      return 0;

    case MD_BLOCK_THEAD:
      p->in_head = TRUE;
      return 0;

    case MD_BLOCK_TBODY:
      p->in_head = FALSE;
      return 0;

    case MD_BLOCK_QUOTE:
      node = node_new (NODE_QUOTE, p->current);
      break;

    case MD_BLOCK_UL:
      {
        MD_BLOCK_UL_DETAIL *ul = detail;

        node = node_new (NODE_LIST, p->current);
        node->mark = ul->mark;
      }
      break;

    case MD_BLOCK_OL:
      {
        MD_BLOCK_OL_DETAIL *ol = detail;

        node = node_new (NODE_LIST, p->current);
        node->ordered = TRUE;
        node->number = ol->start;
        node->mark = ol->mark_delimiter;
      }
      break;

    case MD_BLOCK_LI:
      {
        MD_BLOCK_LI_DETAIL *li = detail;

        node = node_new (NODE_ITEM, p->current);
        if (li->is_task)
          {
            node->task = (li->task_mark == 'x' || li->task_mark == 'X') ? 2 : 1;
            node->task_mark = li->task_mark;
          }
      }
      break;

    case MD_BLOCK_HR:
      node = node_new (NODE_RULE, p->current);
      break;

    case MD_BLOCK_H:
      {
        MD_BLOCK_H_DETAIL *h = detail;

        node = node_new (NODE_HEADING, p->current);
        node->level = CLAMP (h->level, 1, 6);
      }
      break;

    case MD_BLOCK_CODE:
      {
        MD_BLOCK_CODE_DETAIL *code = detail;

        node = node_new (NODE_CODE, p->current);
        node->lang = attribute_dup (&code->lang);
      }
      break;

    case MD_BLOCK_HTML:
      /* Not produced with MD_FLAG_NOHTML; show it verbatim if it is. */
      node = node_new (NODE_CODE, p->current);
      break;

    case MD_BLOCK_TABLE:
      node = node_new (NODE_TABLE, p->current);
      break;

    case MD_BLOCK_TR:
      node = node_new (NODE_ROW, p->current);
      node->header = p->in_head;
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      {
        MD_BLOCK_TD_DETAIL *td = detail;

        node = node_new (NODE_CELL, p->current);
        node->header = type == MD_BLOCK_TH;
        node->align = td->align;
      }
      break;

    case MD_BLOCK_P:
    default:
      node = node_new (NODE_PARAGRAPH, p->current);
      break;
    }

  p->current = node;

  return 0;
}

static int
parser_leave_block (MD_BLOCKTYPE  type,
                    void         *detail,
                    void         *user_data)
{
  Parser *p = user_data;

  p->leaf = NULL;

  if (type == MD_BLOCK_DOC || type == MD_BLOCK_THEAD || type == MD_BLOCK_TBODY)
    return 0;

  if (p->current->parent != NULL)
    p->current = p->current->parent;

  return 0;
}

/**
 * ek_markdown_uri_is_allowed:
 * @uri: a link destination
 *
 * Returns: whether a link to @uri may be made clickable: http, https,
 *   mailto and file URIs only
 */
gboolean
ek_markdown_uri_is_allowed (const char *uri)
{
  static const char * const schemes[] = { "http", "https", "mailto", "file" };
  g_autofree char *scheme = NULL;

  if (uri == NULL)
    return FALSE;

  /* No control characters or spaces anywhere in the URI. */
  for (const char *s = uri; *s != '\0'; s++)
    {
      if ((guchar) *s <= 0x20 || *s == 0x7f)
        return FALSE;
    }

  scheme = g_uri_parse_scheme (uri);
  if (scheme == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      if (g_ascii_strcasecmp (scheme, schemes[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

static int
parser_enter_span (MD_SPANTYPE  type,
                   void        *detail,
                   void        *user_data)
{
  Parser *p = user_data;
  Node *leaf = parser_leaf (p);
  const char *open = "";
  const char *close = "";
  g_autofree char *link = NULL;

  switch (type)
    {
    case MD_SPAN_EM:
      open = "<i>";
      close = "</i>";
      break;

    case MD_SPAN_STRONG:
      open = "<b>";
      close = "</b>";
      break;

    case MD_SPAN_DEL:
      open = "<s>";
      close = "</s>";
      break;

    case MD_SPAN_U:
      open = "<u>";
      close = "</u>";
      break;

    case MD_SPAN_CODE:
      open = "<span font_family=\"monospace\" background=\"#808080\" bgalpha=\"18%\">";
      close = "</span>";
      break;

    case MD_SPAN_A:
      {
        MD_SPAN_A_DETAIL *a = detail;
        g_autofree char *href = attribute_dup (&a->href);

        if (ek_markdown_uri_is_allowed (href))
          {
            g_autofree char *escaped = g_markup_escape_text (href, -1);

            /* The title shows the destination as a tooltip, so the text of
             * a link cannot hide where it goes. */
            link = g_strdup_printf ("<a href=\"%s\" title=\"%s\">", escaped, escaped);
            open = link;
            close = "</a>";
          }
      }
      break;

    case MD_SPAN_IMG:
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
    default:
      /* Images show their alternative text; nothing is loaded. */
      break;
    }

  if (leaf->kind != NODE_CODE)
    g_string_append (leaf->markup, open);
  g_ptr_array_add (p->closers, (gpointer) close);

  return 0;
}

static int
parser_leave_span (MD_SPANTYPE  type,
                   void        *detail,
                   void        *user_data)
{
  Parser *p = user_data;
  Node *leaf = parser_leaf (p);
  const char *close;

  if (p->closers->len == 0)
    return 0;

  close = g_ptr_array_steal_index (p->closers, p->closers->len - 1);
  if (leaf->kind != NODE_CODE)
    g_string_append (leaf->markup, close);

  return 0;
}

static void
leaf_append (Node       *leaf,
             const char *text,
             gsize       size)
{
  g_autofree char *escaped = g_markup_escape_text (text, size);

  g_string_append (leaf->markup, escaped);
  g_string_append_len (leaf->text, text, size);
}

static int
parser_text (MD_TEXTTYPE    type,
             const MD_CHAR *text,
             MD_SIZE        size,
             void          *user_data)
{
  Parser *p = user_data;
  Node *leaf = parser_leaf (p);

  if (leaf->kind == NODE_CODE)
    {
      if (type == MD_TEXT_NULLCHAR)
        g_string_append (leaf->text, "\xef\xbf\xbd");
      else
        g_string_append_len (leaf->text, text, size);
      return 0;
    }

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      leaf_append (leaf, "\xef\xbf\xbd", 3);
      break;

    case MD_TEXT_BR:
      leaf_append (leaf, "\n", 1);
      break;

    case MD_TEXT_SOFTBR:
      leaf_append (leaf, " ", 1);
      break;

    case MD_TEXT_NORMAL:
    case MD_TEXT_ENTITY:  /* kept as written */
    case MD_TEXT_CODE:
    case MD_TEXT_HTML:
    case MD_TEXT_LATEXMATH:
    default:
      leaf_append (leaf, text, size);
      break;
    }

  return 0;
}

/* Returns the top-level blocks of @text. */
static GPtrArray *
parse_blocks (const char *text,
              gsize       len)
{
  const MD_PARSER parser = {
    0,
    PARSER_FLAGS,
    parser_enter_block,
    parser_leave_block,
    parser_enter_span,
    parser_leave_span,
    parser_text,
    NULL,
    NULL,
  };
  Parser p = { 0, };
  GPtrArray *blocks;

  p.root = node_new (NODE_DOCUMENT, NULL);
  p.current = p.root;
  p.closers = g_ptr_array_new ();

  /* md4c only fails when out of memory; keep whatever it produced. */
  md_parse (text, (MD_SIZE) MIN (len, (gsize) G_MAXUINT32), &parser, &p);

  g_ptr_array_unref (p.closers);

  blocks = g_ptr_array_new_with_free_func (node_free);
  for (guint i = 0; i < p.root->children->len; i++)
    {
      Node *child = g_ptr_array_index (p.root->children, i);

      child->parent = NULL;
      node_number_lists (child);
      g_ptr_array_add (blocks, child);
    }
  g_ptr_array_set_free_func (p.root->children, NULL);
  node_free (p.root);

  return blocks;
}

/* ------------------------------------------------------------------------ */
/* Cutting text into segments                                               */
/* ------------------------------------------------------------------------ */

/* The splitter follows md4c's line analysis (md_analyze_line()) for lines
 * outside any container, and stays coarse inside block quotes and list
 * items: there a line it is unsure of is merged. */
typedef enum
{
  SPLIT_NONE,       /* nothing yet */
  SPLIT_PARAGRAPH,  /* a top-level paragraph (or lines merged into one) */
  SPLIT_TABLE,      /* a top-level table */
  SPLIT_FENCE,      /* inside a top-level fenced code block */
  SPLIT_INDENTED,   /* top-level indented code block */
  SPLIT_QUOTE,      /* top-level block quote */
  SPLIT_ITEM,       /* top-level list item */
  SPLIT_CLOSED,     /* after a heading, a rule, a setext underline or a
                     * closing fence: like after a blank line */
} SplitKind;

typedef struct
{
  guint8 kind;          /* SplitKind */
  guint8 prev_blank;    /* the previous line was blank */
  guint8 in_defs;       /* the paragraph so far is link reference definitions */
  guint8 ordered;       /* SPLIT_ITEM: ordered list */
  char   list_mark;     /* SPLIT_ITEM: bullet character or delimiter */
  char   fence_char;    /* SPLIT_FENCE */
  guint  fence_len;     /* SPLIT_FENCE */
  guint  item_indent;   /* SPLIT_ITEM: lines indented this much are content */
  guint  para_lines;    /* SPLIT_PARAGRAPH: lines so far */
  guint8 item_empty;    /* SPLIT_ITEM: the item has no content yet */
  guint8 item_dead;     /* SPLIT_ITEM: ...and a blank line followed */
  guint8 content_quote; /* SPLIT_ITEM: a block quote is open inside */
  guint8 no_task;       /* the item just started cannot be a task */
  guint8 content_fence; /* SPLIT_ITEM, SPLIT_QUOTE: a fence is open inside */
  guint8 content_para;  /* SPLIT_ITEM, SPLIT_QUOTE: a paragraph may be open
                         * inside, so a line may be a lazy continuation */
} SplitState;

typedef struct
{
  gsize      start;          /* byte offset of its first line */
  SplitState state;          /* splitter state before its first line */
  guint      first_block;    /* index of its first block */
  gboolean   continues_list; /* starts with an item of the previous list */
  gboolean   no_task;        /* md4c quirk: its first item is no task */
} Segment;

typedef struct
{
  gsize offset;
  gsize len;
} Definition;

typedef struct
{
  gsize       end;        /* offset after the line's newline */
  const char *rest;       /* the line after its indentation */
  gsize       rest_len;   /* without newline and carriage return */
  guint       indent;     /* indentation in columns */
  gboolean    blank;
  gboolean    terminated; /* a newline or carriage return follows rest */
} Line;

static void
read_line (const char *text,
           gsize       len,
           gsize       pos,
           Line       *line)
{
  const char *nl = memchr (text + pos, '\n', len - pos);
  gsize content_end = nl != NULL ? (gsize) (nl - text) : len;
  gsize i = pos;
  guint column = 0;

  line->terminated = nl != NULL;
  line->end = nl != NULL ? content_end + 1 : len;

  for (; i < content_end && (text[i] == ' ' || text[i] == '\t'); i++)
    column = text[i] == '\t' ? column + 4 - (column % 4) : column + 1;

  if (content_end > i && text[content_end - 1] == '\r')
    {
      content_end--;
      line->terminated = TRUE;
    }

  line->indent = column;
  line->rest = text + i;
  line->rest_len = content_end - i;
  line->blank = line->rest_len == 0;
}

static gboolean
blank_from (const char *s,
            gsize       n,
            gsize       i)
{
  for (; i < n; i++)
    {
      if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
        return FALSE;
    }

  return TRUE;
}

static gboolean
space_or_end (const char *s,
              gsize       n,
              gsize       i)
{
  return i >= n || s[i] == ' ' || s[i] == '\t';
}

static gboolean
match_fence_open (const char *s,
                  gsize       n,
                  char       *fence_char,
                  guint      *fence_len)
{
  gsize i = 0;

  if (n == 0 || (s[0] != '`' && s[0] != '~'))
    return FALSE;

  while (i < n && s[i] == s[0])
    i++;

  if (i < 3)
    return FALSE;

  if (s[0] == '`' && memchr (s + i, '`', n - i) != NULL)
    return FALSE;

  *fence_char = s[0];
  *fence_len = i;

  return TRUE;
}

static gboolean
match_fence_close (const char *s,
                   gsize       n,
                   char        fence_char,
                   guint       fence_len)
{
  gsize i = 0;

  while (i < n && s[i] == fence_char)
    i++;

  return i >= fence_len && blank_from (s, n, i);
}

static gboolean
match_atx_heading (const char *s,
                   gsize       n)
{
  gsize i = 0;

  while (i < n && s[i] == '#')
    i++;

  return i >= 1 && i <= 6 && space_or_end (s, n, i);
}

static gboolean
match_rule (const char *s,
            gsize       n)
{
  guint count = 0;

  if (n == 0 || (s[0] != '-' && s[0] != '*' && s[0] != '_'))
    return FALSE;

  for (gsize i = 0; i < n; i++)
    {
      if (s[i] == s[0])
        count++;
      else if (s[i] != ' ' && s[i] != '\t')
        return FALSE;
    }

  return count >= 3;
}

/* "---" or "===" (a setext heading underline after a paragraph line). */
static gboolean
match_setext_underline (const char *s,
                        gsize       n)
{
  gsize i = 0;

  if (n == 0 || (s[0] != '-' && s[0] != '='))
    return FALSE;

  while (i < n && s[i] == s[0])
    i++;

  return blank_from (s, n, i);
}

/* "| --- | :-: |", the second line of a table. */
static gboolean
match_table_underline (const char *s,
                       gsize       n)
{
  gboolean pipe = FALSE;
  gsize i = 0;

  if (i < n && s[i] == '|')
    {
      pipe = TRUE;
      i++;
    }

  for (;;)
    {
      gsize cell = 0;
      gboolean delimited = FALSE;

      while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
      if (i < n && s[i] == ':')
        {
          i++;
          cell++;
        }
      while (i < n && s[i] == '-')
        {
          i++;
          cell++;
        }
      if (i < n && s[i] == ':')
        {
          i++;
          cell++;
        }
      if (cell < 3)
        return FALSE;

      while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
      if (i < n && s[i] == '|')
        {
          pipe = delimited = TRUE;
          i++;
          while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        }

      if (i >= n)
        break;
      if (!delimited)
        return FALSE;
    }

  return pipe;
}

/* A list marker must be followed by something, even just the newline:
 * md4c does not take "-" at the very end of the text for one. */
static gboolean
match_bullet (const Line *line,
              char       *mark,
              guint      *width,
              gboolean   *empty)
{
  const char *s = line->rest;
  gsize n = line->rest_len;

  if (n == 0 || (s[0] != '-' && s[0] != '*' && s[0] != '+'))
    return FALSE;

  if (!space_or_end (s, n, 1) || (n == 1 && !line->terminated))
    return FALSE;

  *mark = s[0];
  *width = 1;
  *empty = blank_from (s, n, 1);

  return TRUE;
}

static gboolean
match_ordered (const Line *line,
               guint      *number,
               char       *delim,
               guint      *width,
               gboolean   *empty)
{
  const char *s = line->rest;
  gsize n = line->rest_len;
  gsize i = 0;
  guint value = 0;

  while (i < n && i < 9 && g_ascii_isdigit (s[i]))
    {
      value = value * 10 + (guint) (s[i] - '0');
      i++;
    }

  if (i == 0 || i >= n || (s[i] != '.' && s[i] != ')'))
    return FALSE;

  if (!space_or_end (s, n, i + 1) || (i + 1 == n && !line->terminated))
    return FALSE;

  *number = value;
  *delim = s[i];
  *width = i + 1;
  *empty = blank_from (s, n, i + 1);

  return TRUE;
}

/* "[label]: destination" */
static gboolean
match_definition (const char *s,
                  gsize       n)
{
  gsize i;

  if (n < 4 || s[0] != '[')
    return FALSE;

  for (i = 1; i < n && s[i] != ']'; i++)
    {
      if (s[i] == '\\')
        i++;
      else if (s[i] == '[')
        return FALSE;
    }

  return i > 1 && i + 1 < n && s[i] == ']' && s[i + 1] == ':';
}

/* Skips spaces and tabs from s[*i]; returns how many columns they take
 * when they start at @column. */
static guint
skip_blanks (const char *s,
             gsize       n,
             gsize      *i,
             guint       column)
{
  guint start = column;

  for (; *i < n && (s[*i] == ' ' || s[*i] == '\t'); (*i)++)
    column = s[*i] == '\t' ? column + 4 - (column % 4) : column + 1;

  return column - start;
}

/* Follows the content of a top-level list item or block quote, one line
 * (or the part after the container's mark) at a time, just enough to know
 * whether a fence is open in it and whether a paragraph may be. */
static void
content_feed (SplitState *st,
              const char *s,
              gsize       n,
              guint       indent,
              gboolean    blank)
{
  char fence_char;
  guint fence_len;
  gboolean plain_text;

  /* Whether the innermost container open in the content is a quote: a
   * line starting with '>' opens or continues one, a lazy line keeps it,
   * anything else closes it. */
  plain_text = !blank && !st->content_fence && st->content_para && s[0] != '>' &&
               !match_fence_open (s, n, &fence_char, &fence_len) &&
               !match_atx_heading (s, n) && !match_rule (s, n) &&
               s[0] != '-' && s[0] != '*' && s[0] != '+' && !g_ascii_isdigit (s[0]);
  if (!blank && indent < 4 && s[0] == '>' && !st->content_fence)
    st->content_quote = TRUE;
  else if (!(st->content_quote && plain_text))
    st->content_quote = FALSE;

  if (st->content_fence)
    {
      if (!blank && indent < 4 && match_fence_close (s, n, st->fence_char, st->fence_len))
        st->content_fence = FALSE;
      st->content_para = FALSE;
      return;
    }

  if (blank)
    {
      st->content_para = FALSE;
      return;
    }

  if ((indent < 4 || st->content_para) && match_fence_open (s, n, &fence_char, &fence_len))
    {
      st->content_fence = TRUE;
      st->content_para = FALSE;
      st->fence_char = fence_char;
      st->fence_len = fence_len;
      return;
    }

  /* Indented code cannot be continued lazily. */
  if (indent >= 4 && !st->content_para)
    return;

  if (indent < 4 && (match_atx_heading (s, n) || match_rule (s, n)))
    {
      st->content_para = FALSE;
      return;
    }

  /* Unsure (nested containers): assume a paragraph, which only merges. */
  st->content_para = TRUE;
}

/* Feeds the part of a block quote line after its '>'. */
static void
quote_content_feed (SplitState *st,
                    const Line *line)
{
  gsize i = 1;
  guint columns = skip_blanks (line->rest, line->rest_len, &i, line->indent + 1);

  /* The first space after '>' belongs to the mark. */
  content_feed (st, line->rest + i, line->rest_len - i,
                columns > 0 ? columns - 1 : 0, i >= line->rest_len);
}

/* Feeds one line to the splitter.  Returns whether the line starts a new
 * segment; @continues tells whether that segment is an item of the list
 * the previous segment is an item of. */
static gboolean
split_feed_line (SplitState *st,
                 const Line *line,
                 gboolean   *continues,
                 gboolean   *is_definition)
{
  const char *s = line->rest;
  gsize n = line->rest_len;
  gboolean after_blank;
  gboolean after_fence;
  gboolean in_paragraph;
  gboolean in_container;
  char fence_char;
  guint fence_len;
  char mark;
  guint width = 0;
  guint number = 0;
  gboolean empty = FALSE;
  gboolean is_bullet = FALSE;
  gboolean is_ordered = FALSE;
  gboolean no_task = FALSE;

  *continues = FALSE;
  *is_definition = FALSE;

  if (st->kind == SPLIT_FENCE)
    {
      if (!line->blank && line->indent < 4 &&
          match_fence_close (s, n, st->fence_char, st->fence_len))
        st->kind = SPLIT_CLOSED;
      st->prev_blank = FALSE;
      return FALSE;
    }

  if (line->blank)
    {
      if (st->kind == SPLIT_ITEM)
        {
          content_feed (st, s, n, 0, TRUE);
          st->item_dead = st->item_empty;
        }
      st->prev_blank = TRUE;
      st->in_defs = FALSE;
      return FALSE;
    }

  in_container = st->kind == SPLIT_ITEM || (st->kind == SPLIT_QUOTE && !st->prev_blank);

  /* "A list item can begin with at most one blank line": md4c ends such
   * an item at the line that would be its content, and reads that line
   * without the item's indentation.  Never a segment start: alone, the
   * line would keep all its indentation. */
  if (st->kind == SPLIT_ITEM && st->item_dead && line->indent >= st->item_indent)
    {
      Line inner = *line;

      inner.indent -= st->item_indent;
      st->kind = SPLIT_CLOSED;
      split_feed_line (st, &inner, continues, is_definition);
      *continues = FALSE;
      return FALSE;
    }

  /* Content of the list item. */
  if (st->kind == SPLIT_ITEM && line->indent >= st->item_indent)
    {
      st->item_empty = FALSE;
      content_feed (st, s, n, line->indent - st->item_indent, FALSE);
      goto merge;
    }

  /* Continuation of the block quote. */
  if (st->kind == SPLIT_QUOTE && line->indent < 4 && s[0] == '>' && !st->prev_blank)
    {
      quote_content_feed (st, line);
      goto merge;
    }

  /* A line that closes the fence open in the container closes the
   * container too, whatever its indentation. */
  if (in_container && st->content_fence && line->indent < 4 &&
      match_fence_close (s, n, st->fence_char, st->fence_len))
    {
      st->kind = SPLIT_CLOSED;
      goto merge;
    }

  /* md4c's "pivot line" is blank: no block is open that could go on. */
  after_blank = st->prev_blank ||
                st->kind == SPLIT_NONE ||
                st->kind == SPLIT_CLOSED ||
                (in_container && !st->content_para && !st->content_fence);
  /* A top-level paragraph is open. */
  in_paragraph = st->kind == SPLIT_PARAGRAPH && !st->prev_blank;
  /* The line ends a container in which a fence is open. */
  after_fence = in_container && st->content_fence;

  /* md4c quirk: such a line that starts like the fence but does not close
   * it loses its fence characters to the failed check, and what is left
   * is text (or nothing, a blank line). */
  if (after_fence && line->indent < 4 && s[0] == st->fence_char)
    {
      gsize i = 0;

      while (i < n && s[i] == st->fence_char)
        i++;
      skip_blanks (s, n, &i, 0);

      if (i >= n)
        {
          st->kind = SPLIT_CLOSED;
          goto merge;
        }

      st->kind = SPLIT_PARAGRAPH;
      st->para_lines = 1;
      goto merge;
    }

  if (line->indent < 4)
    {
      if (in_paragraph && match_setext_underline (s, n))
        {
          /* Under nothing but link definitions, the underline starts a
           * new paragraph instead. */
          if (st->in_defs)
            st->para_lines = 1;
          else
            st->kind = SPLIT_CLOSED;
          goto merge;
        }

      if (match_rule (s, n))
        {
          st->kind = SPLIT_CLOSED;
          goto split;
        }

      is_bullet = match_bullet (line, &mark, &width, &empty);
      if (!is_bullet)
        is_ordered = match_ordered (line, &number, &mark, &width, &empty);

      /* Another item of the same list.  md4c looks for its task mark
       * only if the innermost open container is a list. */
      if ((is_bullet || is_ordered) && st->kind == SPLIT_ITEM &&
          st->ordered == is_ordered && st->list_mark == mark)
        {
          *continues = TRUE;
          no_task = st->content_quote;
          goto item;
        }
    }

  if (line->indent >= 4)
    {
      if (st->kind == SPLIT_INDENTED || (st->kind == SPLIT_TABLE && !st->prev_blank))
        goto merge;

      if (after_blank)
        {
          st->kind = SPLIT_INDENTED;
          goto split;
        }

      /* md4c opens a fence even on an indented line here.  (Not a place to
       * start a segment: alone, the line would be indented code.) */
      if (match_fence_open (s, n, &fence_char, &fence_len))
        goto fence_merge;

      if (in_paragraph && st->para_lines == 1 && match_table_underline (s, n))
        {
          st->kind = SPLIT_TABLE;
          goto merge;
        }

      if (after_fence)
        {
          /* A new paragraph, which cannot start a segment either. */
          st->kind = SPLIT_PARAGRAPH;
          st->para_lines = 1;
          goto merge;
        }

      goto text;
    }

  if (s[0] == '>')
    {
      st->kind = SPLIT_QUOTE;
      st->content_fence = FALSE;
      st->content_para = FALSE;
      quote_content_feed (st, line);
      goto split;
    }

  if (is_bullet || is_ordered)
    {
      /* An empty item, or an ordered one not starting at 1, cannot
       * interrupt a paragraph. */
      if (in_paragraph && (empty || (is_ordered && number != 1)))
        goto text;
      goto item;
    }

  if (st->kind == SPLIT_TABLE && !st->prev_blank)
    goto merge;

  if (match_atx_heading (s, n))
    {
      st->kind = SPLIT_CLOSED;
      goto split;
    }

  if (match_fence_open (s, n, &fence_char, &fence_len))
    {
      st->kind = SPLIT_FENCE;
      st->fence_char = fence_char;
      st->fence_len = fence_len;
      goto split;
    }

  if (in_paragraph && st->para_lines == 1 && match_table_underline (s, n))
    {
      st->kind = SPLIT_TABLE;
      goto merge;
    }

text:
  if (after_blank || after_fence || st->kind == SPLIT_INDENTED)
    {
      st->kind = SPLIT_PARAGRAPH;
      st->para_lines = 1;
      *is_definition = match_definition (s, n);
      st->in_defs = *is_definition;
      st->prev_blank = FALSE;
      return TRUE;
    }

  /* Paragraph continuation, or lazy continuation inside a container. */
  if (st->kind == SPLIT_PARAGRAPH)
    st->para_lines++;
  *is_definition = st->in_defs && match_definition (s, n);
  st->in_defs = *is_definition;
  st->prev_blank = FALSE;
  return FALSE;

item:
  {
    gsize i = width;
    guint spaces = skip_blanks (s, n, &i, line->indent + width);
    gboolean rest_blank = i >= n;

    /* Where the item's content starts, as md4c computes it. */
    st->kind = SPLIT_ITEM;
    st->ordered = is_ordered;
    st->list_mark = mark;
    st->content_fence = FALSE;
    st->content_para = FALSE;
    st->item_empty = rest_blank;
    st->item_dead = FALSE;
    st->content_quote = FALSE;
    st->no_task = no_task;
    if (rest_blank || spaces > 4)
      st->item_indent = line->indent + width + 1;
    else
      st->item_indent = line->indent + width + spaces;
    content_feed (st, s + i, n - i, spaces > 4 ? spaces - 1 : 0, rest_blank);
  }
  goto split;

fence_merge:
  st->kind = SPLIT_FENCE;
  st->fence_char = fence_char;
  st->fence_len = fence_len;
  goto merge;

merge:
  st->prev_blank = FALSE;
  st->in_defs = FALSE;
  return FALSE;

split:
  st->prev_blank = FALSE;
  st->in_defs = FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The widget                                                               */
/* ------------------------------------------------------------------------ */

struct _EkMarkdownView
{
  GtkWidget  parent_instance;

  GString   *text;
  GArray    *segments;     /* (element-type Segment) */
  GPtrArray *blocks;       /* (element-type Node): top-level, shown */
  GPtrArray *pages;        /* (element-type GtkWidget): boxes of blocks */
  GArray    *definitions;  /* (element-type Definition) */
  GString   *defs_text;    /* the definitions, each after a blank line */
  guint      n_def_blocks; /* blocks that defs_text alone parses to */

  /* Progressive layout: parsed blocks not built yet, after self->blocks;
   * a tick callback builds a frame's budget of them at a time. */
  GPtrArray *pending;      /* (element-type Node) (owned) */
  guint      tick_id;
  gboolean   busy;         /* realized with pending blocks: counted */

  guint      n_built;
  guint      n_updated;

  /* Chunked mode: NULL unless the text is shown as chunks. */
  GArray    *chunks;       /* (element-type Chunk) */
  guint      visible_tick_id;
  guint      visible_checks; /* frames left to look */
  GtkAdjustment *vadjustment; /* (owned) the scrolled window's, when mapped */
  gboolean   is_chunk;     /* a chunk of another view: never chunked */
  gboolean   pinned;       /* a chunk keeping its estimated height */
};

/* A chunk of a long text: a child EkMarkdownView, or an
 * EkMarkdownPlaceholder while it is far from the visible part. */
typedef struct
{
  gsize      start;
  gsize      end;
  GtkWidget *widget;       /* (unowned) a child of the view */
} Chunk;

/* Realized views that still have blocks to build. */
static guint n_busy_views;

/* This frame's budget, shared by the views of a frame clock. */
static struct
{
  GdkFrameClock *clock;    /* (unowned): only compared */
  gint64         frame;    /* the clock's frame counter */
  gint64         end;      /* µs, monotonic */
  gsize          bytes;
  guint          blocks;
} budget;

G_DEFINE_FINAL_TYPE (EkMarkdownView, ek_markdown_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char markdown_css[] =
  "/* Keep in sync with ek-markdown-view.c (a test compares them). */\n"
  ".markdown label.md-list-marker {\n"
  "  font-feature-settings: \"tnum\";\n"
  "}\n"
  "\n"
  "/* List items: the marker lies over the content's indent; both widths come\n"
  " * from here (em: they follow the text size; a task's check box is 20px). */\n"
  ".markdown .md-bullet-item > label.md-list-marker {\n"
  "  min-width: 1.2em;\n"
  "}\n"
  "\n"
  ".markdown .md-number-item > label.md-list-marker {\n"
  "  min-width: 1.6em;\n"
  "}\n"
  "\n"
  ".markdown .md-number-item-3 > label.md-list-marker {\n"
  "  min-width: 2.2em;\n"
  "}\n"
  "\n"
  ".markdown .md-number-item-4 > label.md-list-marker {\n"
  "  min-width: 2.8em;\n"
  "}\n"
  "\n"
  ".markdown .md-list-item > .md-list-content {\n"
  "  margin-left: calc(1.2em + 6px);\n"
  "}\n"
  "\n"
  ".markdown .md-number-item > .md-list-content {\n"
  "  margin-left: calc(1.6em + 6px);\n"
  "}\n"
  "\n"
  ".markdown .md-number-item-3 > .md-list-content {\n"
  "  margin-left: calc(2.2em + 6px);\n"
  "}\n"
  "\n"
  ".markdown .md-number-item-4 > .md-list-content {\n"
  "  margin-left: calc(2.8em + 6px);\n"
  "}\n"
  "\n"
  ".markdown .md-task-item > .md-list-content {\n"
  "  margin-left: calc(20px + 6px);\n"
  "}\n"
  "\n"
  ".markdown .md-list-item > .md-list-content:dir(rtl) {\n"
  "  margin-left: 0;\n"
  "  margin-right: calc(1.2em + 6px);\n"
  "}\n"
  "\n"
  ".markdown .md-number-item > .md-list-content:dir(rtl) {\n"
  "  margin-left: 0;\n"
  "  margin-right: calc(1.6em + 6px);\n"
  "}\n"
  "\n"
  ".markdown .md-number-item-3 > .md-list-content:dir(rtl) {\n"
  "  margin-left: 0;\n"
  "  margin-right: calc(2.2em + 6px);\n"
  "}\n"
  "\n"
  ".markdown .md-number-item-4 > .md-list-content:dir(rtl) {\n"
  "  margin-left: 0;\n"
  "  margin-right: calc(2.8em + 6px);\n"
  "}\n"
  "\n"
  ".markdown .md-task-item > .md-list-content:dir(rtl) {\n"
  "  margin-left: 0;\n"
  "  margin-right: calc(20px + 6px);\n"
  "}\n"
  "\n"
  ".markdown checkbutton.md-task {\n"
  "  padding: 0;\n"
  "  margin: 1px 0 0 0;\n"
  "  min-height: 0;\n"
  "}\n"
  "\n"
  ".markdown .blockquote {\n"
  "  border-left: 3px solid alpha(currentColor, 0.25);\n"
  "  padding: 2px 0 2px 12px;\n"
  "  color: alpha(currentColor, 0.8);\n"
  "}\n"
  "\n"
  ".markdown separator.md-rule {\n"
  "  margin-top: 6px;\n"
  "  margin-bottom: 6px;\n"
  "}\n"
  "\n"
  "codeblock.code-block {\n"
  "  border-radius: 8px;\n"
  "  border: 1px solid alpha(currentColor, 0.12);\n"
  "  background-color: alpha(currentColor, 0.04);\n"
  "}\n"
  "\n"
  "codeblock.code-block > .code-block-header {\n"
  "  padding: 2px 4px 2px 12px;\n"
  "  border-bottom: 1px solid alpha(currentColor, 0.08);\n"
  "}\n"
  "\n"
  "codeblock.code-block .code-block-copy {\n"
  "  min-width: 24px;\n"
  "  min-height: 24px;\n"
  "  padding: 2px;\n"
  "}\n"
  "\n"
  "codeblock.code-block textview.code-block-view,\n"
  "codeblock.code-block textview.code-block-view > text {\n"
  "  background-color: transparent;\n"
  "}\n"
  "\n"
  ".markdown grid.md-table {\n"
  "  border: 1px solid alpha(currentColor, 0.15);\n"
  "  border-radius: 8px;\n"
  "}\n"
  "\n"
  ".markdown .md-table-cell {\n"
  "  padding: 6px 12px;\n"
  "}\n"
  "\n"
  ".markdown .md-table-cell.md-table-header {\n"
  "  font-weight: bold;\n"
  "  background-color: alpha(currentColor, 0.05);\n"
  "  border-bottom: 1px solid alpha(currentColor, 0.15);\n"
  "}\n"
  "\n"
  ".markdown .md-table-cell.md-table-rule {\n"
  "  border-top: 1px solid alpha(currentColor, 0.08);\n"
  "}\n";

/**
 * ek_markdown_view_get_css:
 *
 * Returns: the style sheet that every #EkMarkdownView installs on its
 *   display (the same rules as ek-markdown-view.css)
 */
const char *
ek_markdown_view_get_css (void)
{
  return markdown_css;
}

static void
ensure_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), CSS_DATA_KEY) != NULL)
    return;

  /* Just below the application priority: a style sheet the application
   * loads itself (ek-markdown-view.css or its own rules) wins. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, markdown_css, -1);
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION - 1);
  g_object_set_data_full (G_OBJECT (display), CSS_DATA_KEY,
                          g_steal_pointer (&provider), g_object_unref);
}

/* --- Labels ------------------------------------------------------------- */

static gboolean
on_activate_link (GtkLabel   *label,
                  const char *uri,
                  gpointer    user_data)
{
  /* TRUE stops the default handler, which would open the URI. */
  return !ek_markdown_uri_is_allowed (uri);
}

static void
on_label_focus_changed (GtkWidget  *label,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  if (!gtk_widget_has_focus (label))
    gtk_widget_set_focusable (label, FALSE);
}

static void
label_set_markup (GtkWidget  *label,
                  const char *markup)
{
  gtk_label_set_markup (GTK_LABEL (label), markup);

  /* Selectable labels and labels with links make themselves focusable;
   * see on_capture_pressed() for why they are not. */
  if (!gtk_widget_has_focus (label))
    gtk_widget_set_focusable (label, FALSE);
}

static GtkWidget *
create_label (const char *markup,
              const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  /* A hyphen where an identifier or URL was broken would be misread. */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  pango_attr_list_unref (attrs);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  gtk_widget_add_css_class (label, css_class);
  g_signal_connect (label, "activate-link", G_CALLBACK (on_activate_link), NULL);
  g_signal_connect (label, "notify::has-focus", G_CALLBACK (on_label_focus_changed), NULL);

  label_set_markup (label, markup);

  return label;
}

static char *
cell_markup (const Node *cell)
{
  if (cell->header)
    return g_strdup_printf ("<b>%s</b>", cell->markup->str);

  return g_strdup (cell->markup->str);
}

static void
heading_add_classes (GtkWidget *label,
                     guint      level)
{
  /* title-2 and title-3 differ only in weight; skip title-3 so that each
   * of the first levels looks different. */
  static const char * const classes[] = {
    "title-1", "title-2", "title-4", "heading", "heading", "heading",
  };
  g_autofree char *level_class = g_strdup_printf ("md-heading-%u", level);

  gtk_widget_add_css_class (label, classes[CLAMP (level, 1, 6) - 1]);
  gtk_widget_add_css_class (label, level_class);
}

/* --- Building widgets ----------------------------------------------------- */

static GtkWidget *build_widget (Node *node,
                                guint depth);

static char *
marker_text (const Node *list,
             const Node *item,
             guint       depth)
{
  static const char * const bullets[] = { "\xe2\x80\xa2", "\xe2\x97\xa6", "\xe2\x96\xaa" };

  if (item->task == 1)
    return g_strdup ("[ ]");
  if (item->task == 2)
    return g_strdup ("[x]");
  if (list->ordered)
    return g_strdup_printf ("%u%c", item->number, list->mark);

  return g_strdup (bullets[MIN (depth, G_N_ELEMENTS (bullets) - 1)]);
}

static GtkWidget *
build_marker (const Node *list,
              const Node *item,
              guint       depth)
{
  GtkWidget *marker;

  if (item->task != 0)
    {
      marker = gtk_check_button_new ();
      gtk_check_button_set_active (GTK_CHECK_BUTTON (marker), item->task == 2);
      gtk_widget_set_can_target (marker, FALSE);
      gtk_widget_set_focusable (marker, FALSE);
      gtk_widget_add_css_class (marker, "md-task");
    }
  else
    {
      g_autofree char *text = marker_text (list, item, depth);

      marker = gtk_label_new (text);
      /* its width comes from the style sheet, the same as the content's
       * indent (see build_item()) */
      gtk_label_set_xalign (GTK_LABEL (marker), list->ordered ? 1.0f : 0.5f);
      gtk_widget_add_css_class (marker, "md-list-marker");
    }

  gtk_widget_set_halign (marker, GTK_ALIGN_START);
  gtk_widget_set_valign (marker, GTK_ALIGN_START);

  return marker;
}

/* The style class that sizes an item's marker and indents its content. */
static const char *
item_class (const Node *list,
            const Node *item)
{
  if (item->task != 0)
    return "md-task-item";
  if (!list->ordered)
    return "md-bullet-item";
  if (item->number >= 1000)
    return "md-number-item-4";
  if (item->number >= 100)
    return "md-number-item-3";
  return "md-number-item";
}

static GtkWidget *
item_content (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), CONTENT_DATA_KEY);
}

/* An item is its content, indented by the style sheet, with the marker
 * laid over the indent: a GtkOverlay measures its content alone.  (A
 * horizontal GtkBox of marker and content measured each wrapped label at
 * several more widths, each a new Pango layout shaped from scratch: a long
 * list laid out six times slower.) */
static GtkWidget *
build_item (Node  *list,
            Node  *item,
            guint  depth)
{
  GtkWidget *row = gtk_overlay_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, ITEM_SPACING);
  GtkWidget *marker = build_marker (list, item, depth);

  gtk_widget_add_css_class (row, "md-list-item");
  gtk_widget_add_css_class (row, item_class (list, item));

  gtk_widget_set_hexpand (content, TRUE);
  gtk_widget_add_css_class (content, "md-list-content");
  gtk_overlay_set_child (GTK_OVERLAY (row), content);
  gtk_overlay_add_overlay (GTK_OVERLAY (row), marker);
  /* an item without content is still as tall as its marker */
  gtk_overlay_set_measure_overlay (GTK_OVERLAY (row), marker, TRUE);
  g_object_set_data (G_OBJECT (row), CONTENT_DATA_KEY, content);

  for (guint i = 0; i < item->children->len; i++)
    gtk_box_append (GTK_BOX (content),
                    build_widget (g_ptr_array_index (item->children, i), depth + 1));

  item->widget = row;

  return row;
}

static GtkWidget *
build_cell (Node *cell,
            guint row_index)
{
  g_autofree char *markup = cell_markup (cell);
  GtkWidget *label = create_label (markup, "md-table-cell");
  float xalign = 0.0f;

  if (cell->align == MD_ALIGN_CENTER)
    xalign = 0.5f;
  else if (cell->align == MD_ALIGN_RIGHT)
    xalign = 1.0f;

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_max_width_chars (GTK_LABEL (label), TABLE_CELL_MAX_CHARS);
  if (cell->header)
    gtk_widget_add_css_class (label, "md-table-header");
  else if (row_index > 1)
    gtk_widget_add_css_class (label, "md-table-rule");

  cell->widget = label;

  return label;
}

static void
attach_row (GtkWidget *grid,
            Node      *row,
            guint      row_index)
{
  for (guint c = 0; c < row->children->len; c++)
    gtk_grid_attach (GTK_GRID (grid),
                     build_cell (g_ptr_array_index (row->children, c), row_index),
                     c, row_index, 1, 1);
}

static GtkWidget *
build_table (Node *table)
{
  GtkWidget *grid = gtk_grid_new ();

  /* No scrolled window: cells wrap (down to single characters), so even
   * wide tables fit, and the grid gets proper height-for-width. */
  gtk_widget_add_css_class (grid, "md-table");
  gtk_widget_set_halign (grid, GTK_ALIGN_START);
  gtk_widget_set_overflow (grid, GTK_OVERFLOW_HIDDEN);

  for (guint r = 0; r < table->children->len; r++)
    attach_row (grid, g_ptr_array_index (table->children, r), r);

  return grid;
}

static GtkWidget *
build_widget (Node  *node,
              guint  depth)
{
  GtkWidget *widget = NULL;

  switch (node->kind)
    {
    case NODE_HEADING:
      widget = create_label (node->markup->str, "md-heading");
      gtk_label_set_width_chars (GTK_LABEL (widget), TEXT_MIN_CHARS);
      heading_add_classes (widget, node->level);
      break;

    case NODE_CODE:
      widget = ek_code_block_new (node->lang, node->text->str);
      break;

    case NODE_RULE:
      widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      gtk_widget_add_css_class (widget, "md-rule");
      break;

    case NODE_QUOTE:
      widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, ITEM_SPACING);
      gtk_widget_add_css_class (widget, "blockquote");
      for (guint i = 0; i < node->children->len; i++)
        gtk_box_append (GTK_BOX (widget),
                        build_widget (g_ptr_array_index (node->children, i), depth));
      break;

    case NODE_LIST:
      widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, ITEM_SPACING);
      gtk_widget_add_css_class (widget, "md-list");
      for (guint i = 0; i < node->children->len; i++)
        gtk_box_append (GTK_BOX (widget),
                        build_item (node, g_ptr_array_index (node->children, i), depth));
      break;

    case NODE_TABLE:
      widget = build_table (node);
      break;

    case NODE_ITEM:
    case NODE_ROW:
    case NODE_CELL:
    case NODE_DOCUMENT:
      /* Only reached through their parents. */
      g_assert_not_reached ();
      break;

    case NODE_PARAGRAPH:
    default:
      widget = create_label (node->markup->str, "md-paragraph");
      gtk_label_set_width_chars (GTK_LABEL (widget), TEXT_MIN_CHARS);
      break;
    }

  node->widget = widget;

  return widget;
}

/* --- Updating widgets in place ------------------------------------------ */

static gboolean try_update (Node  *old_node,
                            Node  *new_node,
                            guint  depth);

/* The widget a child node of @parent is shown with, inside @parent's
 * container widget. */
static GtkWidget *
child_container (Node *parent)
{
  if (parent->kind == NODE_ITEM)
    return item_content (parent->widget);

  return parent->widget;
}

static GtkWidget *
build_child (Node  *parent,
             Node  *child,
             guint  depth)
{
  if (parent->kind == NODE_LIST)
    return build_item (parent, child, depth);

  return build_widget (child, parent->kind == NODE_ITEM ? depth + 1 : depth);
}

static gboolean
update_children (Node  *old_node,
                 Node  *new_node,
                 guint  depth)
{
  GtkWidget *container = child_container (old_node);
  GtkWidget *previous = NULL;
  guint child_depth = old_node->kind == NODE_ITEM ? depth + 1 : depth;

  if (new_node->children->len < old_node->children->len)
    return FALSE;

  for (guint i = 0; i < new_node->children->len; i++)
    {
      Node *new_child = g_ptr_array_index (new_node->children, i);
      Node *old_child = i < old_node->children->len ? g_ptr_array_index (old_node->children, i) : NULL;

      if (old_child == NULL || !try_update (old_child, new_child, child_depth))
        {
          GtkWidget *widget = build_child (new_node, new_child, depth);

          gtk_box_insert_child_after (GTK_BOX (container), widget, previous);
          if (old_child != NULL)
            gtk_box_remove (GTK_BOX (container), old_child->widget);
        }

      previous = new_child->widget;
    }

  return TRUE;
}

static gboolean
update_table (Node *old_node,
              Node *new_node)
{
  GtkWidget *grid = old_node->widget;
  guint old_columns, new_columns;

  if (new_node->children->len < old_node->children->len || old_node->children->len == 0)
    return FALSE;

  old_columns = ((Node *) g_ptr_array_index (old_node->children, 0))->children->len;
  new_columns = ((Node *) g_ptr_array_index (new_node->children, 0))->children->len;
  if (old_columns != new_columns)
    return FALSE;

  for (guint r = 0; r < old_node->children->len; r++)
    {
      Node *old_row = g_ptr_array_index (old_node->children, r);
      Node *new_row = g_ptr_array_index (new_node->children, r);

      if (old_row->children->len != new_row->children->len)
        return FALSE;

      for (guint c = 0; c < new_row->children->len; c++)
        {
          Node *old_cell = g_ptr_array_index (old_row->children, c);
          Node *new_cell = g_ptr_array_index (new_row->children, c);

          if (old_cell->align != new_cell->align || old_cell->header != new_cell->header)
            return FALSE;

          if (!g_string_equal (old_cell->markup, new_cell->markup))
            {
              g_autofree char *markup = cell_markup (new_cell);

              label_set_markup (old_cell->widget, markup);
            }
          new_cell->widget = old_cell->widget;
        }
    }

  for (guint r = old_node->children->len; r < new_node->children->len; r++)
    attach_row (grid, g_ptr_array_index (new_node->children, r), r);

  return TRUE;
}

/* Makes @old_node's widget show @new_node, if their shapes allow it.  On
 * success @new_node and its descendants point to the widgets. */
static gboolean
try_update (Node  *old_node,
            Node  *new_node,
            guint  depth)
{
  if (old_node->kind != new_node->kind || old_node->widget == NULL)
    return FALSE;

  switch (new_node->kind)
    {
    case NODE_PARAGRAPH:
      if (!g_string_equal (old_node->markup, new_node->markup))
        label_set_markup (old_node->widget, new_node->markup->str);
      break;

    case NODE_HEADING:
      if (old_node->level != new_node->level)
        return FALSE;
      if (!g_string_equal (old_node->markup, new_node->markup))
        label_set_markup (old_node->widget, new_node->markup->str);
      break;

    case NODE_CODE:
      if (g_strcmp0 (old_node->lang, new_node->lang) != 0)
        return FALSE;
      ek_code_block_set_code (EK_CODE_BLOCK (old_node->widget), new_node->text->str);
      break;

    case NODE_RULE:
      break;

    case NODE_LIST:
      if (old_node->ordered != new_node->ordered || old_node->mark != new_node->mark)
        return FALSE;
      if (!update_children (old_node, new_node, depth))
        return FALSE;
      break;

    case NODE_ITEM:
      if (old_node->task != new_node->task || old_node->number != new_node->number)
        return FALSE;
      if (!update_children (old_node, new_node, depth))
        return FALSE;
      break;

    case NODE_QUOTE:
      if (!update_children (old_node, new_node, depth))
        return FALSE;
      break;

    case NODE_TABLE:
      if (!update_table (old_node, new_node))
        return FALSE;
      break;

    case NODE_ROW:
    case NODE_CELL:
    case NODE_DOCUMENT:
    default:
      return FALSE;
    }

  new_node->widget = old_node->widget;

  return TRUE;
}

/* --- Blocks --------------------------------------------------------------- */

static int
block_margin (const Node *previous,
              const Node *block)
{
  if (previous == NULL)
    return 0;

  if (block->continued)
    return ITEM_SPACING;

  if (block->kind == NODE_HEADING)
    return HEADING_SPACING;

  if (previous->kind == NODE_HEADING)
    return AFTER_HEADING_SPACING;

  return BLOCK_SPACING;
}

static void
clear_blocks (EkMarkdownView *self)
{
  for (guint i = 0; i < self->blocks->len; i++)
    {
      Node *block = g_ptr_array_index (self->blocks, i);

      g_clear_pointer (&block->widget, gtk_widget_unparent);
      node_free (block);
    }

  g_ptr_array_set_size (self->blocks, 0);

  for (guint i = 0; i < self->pending->len; i++)
    node_free (g_ptr_array_index (self->pending, i));
  g_ptr_array_set_size (self->pending, 0);

  for (guint i = 0; i < self->pages->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->pages, i));
  g_ptr_array_set_size (self->pages, 0);
}

/* Shows @widget as block @index, after block @index - 1. */
static void
insert_block_widget (EkMarkdownView *self,
                     guint           index,
                     GtkWidget      *widget)
{
  guint page_index = index / BLOCKS_PER_PAGE;
  GtkWidget *previous = NULL;

  while (self->pages->len <= page_index)
    {
      GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_widget_insert_before (page, GTK_WIDGET (self), NULL);
      g_ptr_array_add (self->pages, page);
    }

  if (index % BLOCKS_PER_PAGE != 0)
    previous = ((Node *) g_ptr_array_index (self->blocks, index - 1))->widget;

  gtk_box_insert_child_after (GTK_BOX (g_ptr_array_index (self->pages, page_index)),
                              widget, previous);
}

static void
remove_empty_pages (EkMarkdownView *self)
{
  guint needed = (self->blocks->len + BLOCKS_PER_PAGE - 1) / BLOCKS_PER_PAGE;

  while (self->pages->len > needed)
    {
      gtk_widget_unparent (g_ptr_array_index (self->pages, self->pages->len - 1));
      g_ptr_array_set_size (self->pages, self->pages->len - 1);
    }
}

static void
update_definitions (EkMarkdownView *self,
                    gboolean       *changed)
{
  g_autoptr(GString) defs = g_string_new (NULL);

  for (guint i = 0; i < self->definitions->len; i++)
    {
      const Definition *def = &g_array_index (self->definitions, Definition, i);

      g_string_append_len (defs, self->text->str + def->offset, def->len);
      g_string_append (defs, "\n\n");
    }

  *changed = !g_string_equal (defs, self->defs_text);
  if (!*changed)
    return;

  g_string_assign (self->defs_text, defs->str);
  self->n_def_blocks = 0;
  if (defs->len > 0)
    {
      g_autoptr(GPtrArray) blocks = parse_blocks (defs->str, defs->len);

      self->n_def_blocks = blocks->len;
    }
}

/* Cuts the text from @offset on, which is the start of a segment that the
 * splitter reached in @state, into segments. */
static void
split_from (EkMarkdownView   *self,
            gsize             offset,
            const SplitState *state)
{
  const char *text = self->text->str;
  gsize len = self->text->len;
  SplitState st = *state;
  gsize pos = offset;
  gsize previous = offset;

  while (pos < len)
    {
      SplitState before = st;
      gboolean continues, is_definition, starts;
      Line line;

      read_line (text, len, pos, &line);
      starts = split_feed_line (&st, &line, &continues, &is_definition);

      /* The first line of a table is not a link definition after all. */
      if (st.kind == SPLIT_TABLE && before.kind != SPLIT_TABLE &&
          self->definitions->len > 0 &&
          g_array_index (self->definitions, Definition, self->definitions->len - 1).offset == previous)
        g_array_set_size (self->definitions, self->definitions->len - 1);

      if (starts || pos == offset)
        {
          Segment segment = { pos, before, 0, continues, st.kind == SPLIT_ITEM && st.no_task };

          g_array_append_val (self->segments, segment);
        }

      if (is_definition)
        {
          Definition def = { pos, (gsize) (line.rest - (text + pos)) + line.rest_len };

          g_array_append_val (self->definitions, def);
        }

      previous = pos;
      pos = line.end;
    }
}

/* Turns a task item back into an item whose text starts with "[ ]". */
static void
item_clear_task (Node *item)
{
  char prefix[] = { '[', item->task_mark, ']', ' ', '\0' };
  g_autofree char *escaped = NULL;
  Node *first;

  if (item->task == 0 || item->children->len == 0)
    return;

  first = g_ptr_array_index (item->children, 0);
  if (first->kind != NODE_PARAGRAPH)
    return;

  escaped = g_markup_escape_text (prefix, -1);
  g_string_prepend (first->markup, escaped);
  g_string_prepend (first->text, prefix);
  item->task = 0;
  item->task_mark = 0;
}

/* Parses segment @index into top-level nodes appended to @nodes, which
 * follow the blocks in self->blocks and self->pending. */
static void
parse_segment (EkMarkdownView *self,
               guint           index,
               GPtrArray      *nodes)
{
  const Segment *segment = &g_array_index (self->segments, Segment, index);
  gsize end = index + 1 < self->segments->len
              ? g_array_index (self->segments, Segment, index + 1).start
              : self->text->len;
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GString) input = NULL;
  guint skip;
  gsize padding;

  /* md4c 0.4.8 has a bug where a list item's content may depend on the
   * byte offsets of lines modulo 256 (it reads a line record as a block
   * header).  Leading blank lines, which it ignores, put the segment at
   * its offset in the whole text modulo 256, so it behaves the same. */
  padding = (segment->start % 256 + 256 - self->defs_text->len % 256) % 256;

  input = g_string_sized_new (self->defs_text->len + padding + end - segment->start);
  g_string_append_len (input, self->defs_text->str, self->defs_text->len);
  for (gsize i = 0; i < padding; i++)
    g_string_append_c (input, '\n');
  g_string_append_len (input, self->text->str + segment->start, end - segment->start);

  blocks = parse_blocks (input->str, input->len);
  skip = MIN (self->n_def_blocks, blocks->len);

  for (guint i = skip; i < blocks->len; i++)
    {
      Node *node = g_ptr_array_index (blocks, i);
      Node *previous = NULL;

      if (nodes->len > 0)
        previous = g_ptr_array_index (nodes, nodes->len - 1);
      else if (self->pending->len > 0)
        previous = g_ptr_array_index (self->pending, self->pending->len - 1);
      else if (self->blocks->len > 0)
        previous = g_ptr_array_index (self->blocks, self->blocks->len - 1);

      if (i == skip && segment->no_task && node->kind == NODE_LIST)
        item_clear_task (g_ptr_array_index (node->children, 0));

      /* An item of the list the previous segment ended with. */
      if (i == skip && segment->continues_list &&
          node->kind == NODE_LIST && previous != NULL &&
          previous->kind == NODE_LIST &&
          previous->ordered == node->ordered &&
          previous->mark == node->mark)
        {
          node->continued = TRUE;
          if (node->ordered)
            {
              node->number = list_next_number (previous);
              node_number_lists (node);
            }
        }

      g_ptr_array_index (blocks, i) = NULL;
      g_ptr_array_add (nodes, node);
    }
}

/* --- Progressive layout --------------------------------------------------- */

static gsize
node_size (const Node *node)
{
  gsize size = node->text->len + 1;

  for (guint i = 0; i < node->children->len; i++)
    size += node_size (g_ptr_array_index (node->children, i));
  return size;
}

/* Starts this frame's budget unless another view of the same frame
 * clock already did.  Between frames (text set from the main loop), the
 * blocks built are laid out in the next frame: they count towards it. */
static void
budget_begin (EkMarkdownView *self,
              gboolean        in_tick)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  gint64 frame = -1;

  if (clock != NULL)
    frame = gdk_frame_clock_get_frame_counter (clock) + (in_tick ? 0 : 1);

  if (clock == budget.clock && frame == budget.frame)
    return;
  budget.clock = clock;
  budget.frame = frame;
  budget.end = g_get_monotonic_time () + FRAME_BUDGET_US;
  budget.bytes = 0;
  budget.blocks = 0;
}

/* Whether this frame may still build @node. */
static gboolean
budget_allows (EkMarkdownView *self,
               const Node     *node)
{
  if (!gtk_widget_get_realized (GTK_WIDGET (self)))
    return FALSE;
  if (budget.blocks == 0)
    return TRUE;
  if (budget.bytes + node_size (node) > FRAME_BUDGET_BYTES)
    return FALSE;
  return g_get_monotonic_time () < budget.end;
}

static void
budget_spend (EkMarkdownView *self,
              const Node     *node)
{
  budget.bytes += node_size (node);
  budget.blocks++;
}

static void
update_busy (EkMarkdownView *self)
{
  gboolean busy = gtk_widget_get_realized (GTK_WIDGET (self)) &&
                  (self->pending->len > 0 || self->visible_tick_id != 0);

  if (busy == self->busy)
    return;
  self->busy = busy;
  if (busy)
    n_busy_views++;
  else
    n_busy_views--;
}

/* Builds @node's widget and shows it as the next block. */
static void
show_block (EkMarkdownView *self,
            Node           *node)
{
  guint index = self->blocks->len;
  Node *previous = index > 0 ? g_ptr_array_index (self->blocks, index - 1) : NULL;

  build_widget (node, 0);
  g_ptr_array_add (self->blocks, node);
  insert_block_widget (self, index, node->widget);
  gtk_widget_set_margin_top (node->widget, block_margin (previous, node));
  self->n_built++;
}

/* Builds the pending blocks that the budget allows (all with @all). */
static void
show_pending (EkMarkdownView *self,
              gboolean        all)
{
  guint n = 0;

  while (n < self->pending->len)
    {
      Node *node = g_ptr_array_index (self->pending, n);

      if (!all && !budget_allows (self, node))
        break;
      budget_spend (self, node);
      show_block (self, node);
      n++;
    }
  if (n > 0)
    g_ptr_array_remove_range (self->pending, 0, n);
  update_busy (self);
}

/* A chunk view whose blocks are all built takes its own height. */
static void
unpin (EkMarkdownView *self)
{
  if (!self->pinned)
    return;
  self->pinned = FALSE;
  gtk_widget_set_size_request (GTK_WIDGET (self), -1, -1);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  EkMarkdownView *self = EK_MARKDOWN_VIEW (widget);

  budget_begin (self, TRUE);
  show_pending (self, FALSE);
  if (self->pending->len > 0)
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  unpin (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_pending (EkMarkdownView *self)
{
  update_busy (self);
  if (self->pending->len == 0)
    {
      if (self->tick_id != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
      unpin (self);
    }
  else if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

static void flush_chunks (EkMarkdownView *self);

/* Shows every block now: for the introspection functions. */
static void
flush_pending (EkMarkdownView *self)
{
  if (self->chunks != NULL)
    {
      flush_chunks (self);
      return;
    }
  if (self->pending->len == 0)
    return;
  show_pending (self, TRUE);
  schedule_pending (self);
}

/* Renders the segments from @first_segment on, whose blocks start at
 * @first_block (counting the pending ones after the shown ones); the
 * blocks from there on are replaced.  Shown blocks are kept, updated or
 * rebuilt as needed; new blocks beyond them are built while the frame's
 * budget lasts, and the rest wait for the next frames. */
static void
render_segments (EkMarkdownView *self,
                 guint           first_segment,
                 guint           first_block)
{
  g_autoptr(GPtrArray) old_blocks = g_ptr_array_new_with_free_func (node_free);
  g_autoptr(GPtrArray) new_blocks = g_ptr_array_new_with_free_func (node_free);
  guint n_shown = self->blocks->len;
  guint keep_pending = first_block > n_shown ? first_block - n_shown : 0;
  guint first_shown = MIN (first_block, n_shown);

  for (guint i = first_shown; i < n_shown; i++)
    g_ptr_array_add (old_blocks, g_ptr_array_index (self->blocks, i));
  g_ptr_array_set_size (self->blocks, first_shown);
  for (guint i = keep_pending; i < self->pending->len; i++)
    g_ptr_array_add (old_blocks, g_ptr_array_index (self->pending, i));
  g_ptr_array_set_size (self->pending, MIN (keep_pending, self->pending->len));

  for (guint s = first_segment; s < self->segments->len; s++)
    {
      Segment *segment = &g_array_index (self->segments, Segment, s);

      segment->first_block = first_block + new_blocks->len;
      parse_segment (self, s, new_blocks);
    }

  for (guint i = 0; i < new_blocks->len; i++)
    {
      Node *new_node = g_ptr_array_index (new_blocks, i);
      Node *old_node = i < old_blocks->len ? g_ptr_array_index (old_blocks, i) : NULL;

      if (old_node == NULL || old_node->widget == NULL)
        {
          /* not shown yet */
          g_ptr_array_index (new_blocks, i) = NULL;
          if (self->pending->len == 0 && budget_allows (self, new_node))
            {
              budget_spend (self, new_node);
              show_block (self, new_node);
            }
          else
            g_ptr_array_add (self->pending, new_node);
        }
      else if (node_equal (old_node, new_node))
        {
          old_node->continued = new_node->continued;
          g_ptr_array_add (self->blocks, g_steal_pointer (&g_ptr_array_index (old_blocks, i)));
        }
      else if (try_update (old_node, new_node, 0))
        {
          self->n_updated++;
          g_ptr_array_add (self->blocks, g_steal_pointer (&g_ptr_array_index (new_blocks, i)));
        }
      else
        {
          Node *shown = g_steal_pointer (&g_ptr_array_index (new_blocks, i));

          g_clear_pointer (&old_node->widget, gtk_widget_unparent);
          build_widget (shown, 0);
          insert_block_widget (self, self->blocks->len, shown->widget);
          g_ptr_array_add (self->blocks, shown);
          self->n_built++;
        }
    }

  for (guint i = new_blocks->len; i < old_blocks->len; i++)
    {
      Node *old_node = g_ptr_array_index (old_blocks, i);

      if (old_node != NULL)
        g_clear_pointer (&old_node->widget, gtk_widget_unparent);
    }

  remove_empty_pages (self);

  for (guint i = first_shown; i < self->blocks->len; i++)
    {
      Node *block = g_ptr_array_index (self->blocks, i);
      Node *previous = i > 0 ? g_ptr_array_index (self->blocks, i - 1) : NULL;

      gtk_widget_set_margin_top (block->widget, block_margin (previous, block));
    }

  schedule_pending (self);
}

/* --- Long texts in chunks ---------------------------------------------------- */

gsize
ek_markdown_find_chunk_end (const char *text,
                            gsize       len,
                            gsize       start,
                            gsize       min_bytes)
{
  SplitState state = { SPLIT_NONE, };
  gsize pos = start;

  while (pos < len)
    {
      gboolean starts, continues, is_definition;
      Line line;

      read_line (text, len, pos, &line);
      starts = split_feed_line (&state, &line, &continues, &is_definition);
      if (starts && !continues && pos > start && pos >= start + min_bytes &&
          (g_ascii_isalpha (text[pos]) || text[pos] == '#'))
        return pos;
      pos = line.end;
    }
  return len;
}

static gboolean on_visible_tick (GtkWidget     *widget,
                                 GdkFrameClock *clock,
                                 gpointer       user_data);

/* Looks at which chunks are near the visible part in the next two
 * frames: a scroll or a resize moves the widgets in the layout of the
 * frame after it, so the first look may see where they were. */
static void
schedule_visible_check (EkMarkdownView *self)
{
  if (self->chunks == NULL)
    return;
  self->visible_checks = 2;
  if (self->visible_tick_id != 0)
    return;
  self->visible_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_visible_tick, NULL, NULL);
  update_busy (self);
}

static void
stop_visible_check (EkMarkdownView *self)
{
  if (self->visible_tick_id == 0)
    return;
  gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->visible_tick_id);
  self->visible_tick_id = 0;
  update_busy (self);
}

/* The part of the view, in its coordinates, that chunks are built for:
 * what the scrolled window it is in shows, and half of that above and
 * below.  All of it when it is in none. */
static void
get_wanted_range (EkMarkdownView *self,
                  double         *top,
                  double         *bottom)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (scroller == NULL || !gtk_widget_compute_bounds (scroller, GTK_WIDGET (self), &bounds))
    {
      *top = -G_MAXDOUBLE;
      *bottom = G_MAXDOUBLE;
      return;
    }
  *top = bounds.origin.y - bounds.size.height / 2;
  *bottom = bounds.origin.y + bounds.size.height * 3 / 2;
}

/* Whether @chunk's widget lies in the wanted range; FALSE with
 * *unplaced when it has not been allocated yet. */
static gboolean
chunk_is_wanted (EkMarkdownView *self,
                 const Chunk    *chunk,
                 double          top,
                 double          bottom,
                 gboolean       *unplaced)
{
  graphene_rect_t bounds;

  *unplaced = FALSE;
  if (top == -G_MAXDOUBLE)
    return TRUE;
  if (gtk_widget_get_width (chunk->widget) == 0 ||
      !gtk_widget_compute_bounds (chunk->widget, GTK_WIDGET (self), &bounds))
    {
      *unplaced = TRUE;
      return FALSE;
    }
  return bounds.origin.y < bottom && bounds.origin.y + bounds.size.height > top;
}

/* Gives chunk view @view the chunk's text, after as many blank lines as
 * the chunk's offset modulo 256 (see parse_segment(): md4c then sees
 * every line at the offset modulo 256 that it has in the whole text). */
static void
chunk_set_view_text (EkMarkdownView *self,
                     const Chunk    *chunk,
                     EkMarkdownView *view)
{
  gsize padding = chunk->start % 256;
  g_autoptr(GString) text = g_string_sized_new (padding + chunk->end - chunk->start);

  for (gsize i = 0; i < padding; i++)
    g_string_append_c (text, '\n');
  g_string_append_len (text, self->text->str + chunk->start, chunk->end - chunk->start);
  ek_markdown_view_set_text (view, text->str);
}

static int
chunk_margin (EkMarkdownView *self,
              const Chunk    *chunk)
{
  if (chunk->start == 0)
    return 0;
  return self->text->str[chunk->start] == '#' ? HEADING_SPACING : BLOCK_SPACING;
}

/* Puts @widget in the place of @chunk's widget. */
static void
chunk_replace_widget (EkMarkdownView *self,
                      Chunk          *chunk,
                      GtkWidget      *widget)
{
  gtk_widget_set_margin_top (widget, chunk_margin (self, chunk));
  gtk_widget_insert_after (widget, GTK_WIDGET (self), chunk->widget);
  gtk_widget_unparent (chunk->widget);
  chunk->widget = widget;
}

/* Shows @chunk with a view of its own instead of a placeholder. */
static void
chunk_build (EkMarkdownView *self,
             Chunk          *chunk)
{
  EkMarkdownView *view;
  int height;

  if (EK_IS_MARKDOWN_VIEW (chunk->widget))
    return;

  height = gtk_widget_get_height (chunk->widget);
  if (height == 0)
    height = ek_markdown_placeholder_estimate (EK_MARKDOWN_PLACEHOLDER (chunk->widget),
                                               gtk_widget_get_width (GTK_WIDGET (self)));
  view = EK_MARKDOWN_VIEW (ek_markdown_view_new ());
  view->is_chunk = TRUE;
  view->pinned = TRUE;
  gtk_widget_set_size_request (GTK_WIDGET (view), -1, height);
  chunk_replace_widget (self, chunk, GTK_WIDGET (view));
  chunk_set_view_text (self, chunk, view);
}

static gboolean
on_visible_tick (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  EkMarkdownView *self = EK_MARKDOWN_VIEW (widget);
  gboolean again = FALSE;
  double top, bottom;

  /* only while on screen: in a page of a stack that is not shown the
   * check stops, and map starts it again */
  if (gtk_widget_get_mapped (widget))
    {
      get_wanted_range (self, &top, &bottom);
      for (guint i = 0; self->chunks != NULL && i < self->chunks->len; i++)
        {
          Chunk *chunk = &g_array_index (self->chunks, Chunk, i);
          gboolean unplaced;

          if (EK_IS_MARKDOWN_VIEW (chunk->widget))
            continue;
          if (chunk_is_wanted (self, chunk, top, bottom, &unplaced))
            chunk_build (self, chunk);
          again |= unplaced;
        }

      if (self->visible_checks > 0)
        self->visible_checks--;
      if (again || self->visible_checks > 0)
        return G_SOURCE_CONTINUE;
    }

  self->visible_tick_id = 0;
  update_busy (self);
  return G_SOURCE_REMOVE;
}

static void
on_adjustment_changed (EkMarkdownView *self)
{
  schedule_visible_check (self);
}

static void
watch_adjustment (EkMarkdownView *self)
{
  GtkWidget *scroller = NULL;
  GtkAdjustment *adjustment = NULL;

  if (self->chunks != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  if (scroller != NULL)
    adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  if (adjustment == self->vadjustment)
    return;

  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_changed, self);
  g_set_object (&self->vadjustment, adjustment);
  if (adjustment != NULL)
    {
      g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (on_adjustment_changed), self);
      g_signal_connect_swapped (adjustment, "changed", G_CALLBACK (on_adjustment_changed), self);
    }
}

static void
clear_chunks (EkMarkdownView *self)
{
  if (self->chunks == NULL)
    return;

  for (guint i = 0; i < self->chunks->len; i++)
    gtk_widget_unparent (g_array_index (self->chunks, Chunk, i).widget);
  g_clear_pointer (&self->chunks, g_array_unref);
  stop_visible_check (self);
  watch_adjustment (self);
}

/* How many bytes @a and @b start with in common: memcmp() a page at a
 * time, so that a long text that grows costs little to compare. */
static gsize
shared_prefix (const char *a,
               gsize       a_len,
               const char *b,
               gsize       b_len)
{
  gsize n = MIN (a_len, b_len);
  gsize i = 0;

  while (i + 4096 <= n && memcmp (a + i, b + i, 4096) == 0)
    i += 4096;
  while (i < n && a[i] == b[i])
    i++;
  return i;
}

/* Whether text that brings @new_bytes not shown yet, @len in all, is
 * shown in chunks. */
static gboolean
wants_chunks (EkMarkdownView *self,
              gsize           new_bytes,
              gsize           len)
{
  if (self->is_chunk)
    return FALSE;
  if (self->chunks != NULL)
    return len >= LONG_TEXT_BYTES / 2;
  return new_bytes > LONG_TEXT_BYTES;
}

/* ek_markdown_view_set_text() in chunked mode, @common bytes of the old
 * text being the new one's too: the chunks before the first change stay
 * as they are; from the chunk with the change on, the
 * text is cut again, and chunks that start where they did keep their
 * widget (a view's own update then keeps what it can). */
static void
set_text_in_chunks (EkMarkdownView *self,
                    const char     *text,
                    gsize           len,
                    gsize           common)
{
  guint keep = 0;
  guint n_old;
  guint index;
  gsize pos;

  if (self->chunks == NULL)
    {
      clear_blocks (self);
      g_array_set_size (self->segments, 0);
      g_array_set_size (self->definitions, 0);
      g_string_truncate (self->defs_text, 0);
      self->n_def_blocks = 0;
      common = 0;
      self->chunks = g_array_new (FALSE, FALSE, sizeof (Chunk));
      watch_adjustment (self);
    }

  g_string_truncate (self->text, common);
  g_string_append_len (self->text, text + common, len - common);

  /* A chunk's end depends on the text up to the first byte of the next
   * chunk: it stays if that byte is unchanged.  The last chunk has no
   * end of its own. */
  n_old = self->chunks->len;
  while (keep + 1 < n_old && g_array_index (self->chunks, Chunk, keep).end < common)
    keep++;

  pos = keep > 0 ? g_array_index (self->chunks, Chunk, keep - 1).end : 0;
  for (index = keep; pos < len; index++)
    {
      gsize end = ek_markdown_find_chunk_end (self->text->str, len, pos, CHUNK_BYTES);
      Chunk *chunk;

      if (index < self->chunks->len && g_array_index (self->chunks, Chunk, index).start != pos)
        {
          /* cut elsewhere: its widget stands for other text */
          chunk = &g_array_index (self->chunks, Chunk, index);
          chunk->start = pos;
          chunk->end = end;
          chunk_replace_widget (self, chunk, ek_markdown_placeholder_new ());
        }
      else if (index >= self->chunks->len)
        {
          Chunk added = { pos, end, ek_markdown_placeholder_new () };
          GtkWidget *previous = index > 0 ? g_array_index (self->chunks, Chunk, index - 1).widget : NULL;

          gtk_widget_insert_after (added.widget, GTK_WIDGET (self), previous);
          g_array_append_val (self->chunks, added);
          gtk_widget_set_margin_top (added.widget, chunk_margin (self, &added));
        }
      chunk = &g_array_index (self->chunks, Chunk, index);
      chunk->end = end;

      if (EK_IS_MARKDOWN_VIEW (chunk->widget))
        chunk_set_view_text (self, chunk, EK_MARKDOWN_VIEW (chunk->widget));
      else
        ek_markdown_placeholder_set_text (EK_MARKDOWN_PLACEHOLDER (chunk->widget),
                                          self->text->str + chunk->start, chunk->end - chunk->start);
      pos = end;
    }

  for (guint i = index; i < self->chunks->len; i++)
    gtk_widget_unparent (g_array_index (self->chunks, Chunk, i).widget);
  g_array_set_size (self->chunks, index);

  schedule_visible_check (self);
}

/* Builds every chunk and all of its blocks: for the introspection
 * functions. */
static void
flush_chunks (EkMarkdownView *self)
{
  for (guint i = 0; i < self->chunks->len; i++)
    {
      Chunk *chunk = &g_array_index (self->chunks, Chunk, i);

      chunk_build (self, chunk);
      flush_pending (EK_MARKDOWN_VIEW (chunk->widget));
    }
}

/* The chunk view that shows block @index of all, and its index there. */
static EkMarkdownView *
chunk_view_of_block (EkMarkdownView *self,
                     guint           index,
                     guint          *local)
{
  /* (the callers have built every chunk) */
  for (guint i = 0; i < self->chunks->len; i++)
    {
      EkMarkdownView *view = EK_MARKDOWN_VIEW (g_array_index (self->chunks, Chunk, i).widget);

      if (index < view->blocks->len)
        {
          *local = index;
          return view;
        }
      index -= view->blocks->len;
    }
  return NULL;
}

/* How many chunks in the wanted range still wait for a view. */
static guint
count_wanted_placeholders (EkMarkdownView *self)
{
  double top, bottom;
  guint n = 0;

  get_wanted_range (self, &top, &bottom);
  for (guint i = 0; i < self->chunks->len; i++)
    {
      const Chunk *chunk = &g_array_index (self->chunks, Chunk, i);
      gboolean unplaced;

      if (EK_IS_MARKDOWN_PLACEHOLDER (chunk->widget) &&
          (chunk_is_wanted (self, chunk, top, bottom, &unplaced) || unplaced))
        n++;
    }
  return n;
}

/* --- Focus ------------------------------------------------------------------ */

/* Selectable labels are focusable, and GTK moves focus to the first one
 * when a window is presented and on every Tab, selecting its whole text:
 * in a long chat that steals focus from the composer and scrolls.  So the
 * labels are kept unfocusable, and a press on one makes it focusable just
 * before its own gesture grabs focus: selecting with the pointer, the
 * context menu and Ctrl+C keep working.  It becomes unfocusable again when
 * focus leaves it.  The trade-off: the text cannot be reached with Tab. */
static void
on_capture_pressed (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    EkMarkdownView  *self)
{
  GtkWidget *target;

  target = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  for (; target != NULL && target != GTK_WIDGET (self); target = gtk_widget_get_parent (target))
    {
      if (GTK_IS_LABEL (target) && gtk_label_get_selectable (GTK_LABEL (target)))
        {
          gtk_widget_set_focusable (target, TRUE);
          break;
        }
    }
}

/* --- GObject ---------------------------------------------------------------- */

static void
ek_markdown_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ek_markdown_view_parent_class)->root (widget);

  ensure_css (gtk_widget_get_display (widget));
}

static void
ek_markdown_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ek_markdown_view_parent_class)->realize (widget);

  update_busy (EK_MARKDOWN_VIEW (widget));
}

static void
ek_markdown_view_unrealize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ek_markdown_view_parent_class)->unrealize (widget);

  update_busy (EK_MARKDOWN_VIEW (widget));
}

static void
ek_markdown_view_map (GtkWidget *widget)
{
  EkMarkdownView *self = EK_MARKDOWN_VIEW (widget);

  GTK_WIDGET_CLASS (ek_markdown_view_parent_class)->map (widget);

  watch_adjustment (self);
  schedule_visible_check (self);
}

static void
ek_markdown_view_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ek_markdown_view_parent_class)->unmap (widget);

  watch_adjustment (EK_MARKDOWN_VIEW (widget));
}

static void
ek_markdown_view_dispose (GObject *object)
{
  EkMarkdownView *self = EK_MARKDOWN_VIEW (object);

  clear_blocks (self);
  clear_chunks (self);
  schedule_pending (self);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (ek_markdown_view_parent_class)->dispose (object);
}

static void
ek_markdown_view_finalize (GObject *object)
{
  EkMarkdownView *self = EK_MARKDOWN_VIEW (object);

  g_ptr_array_unref (self->blocks);
  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->pages);
  g_array_unref (self->segments);
  g_array_unref (self->definitions);
  g_string_free (self->defs_text, TRUE);
  g_string_free (self->text, TRUE);

  G_OBJECT_CLASS (ek_markdown_view_parent_class)->finalize (object);
}

static void
ek_markdown_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EkMarkdownView *self = EK_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text->str);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_markdown_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EkMarkdownView *self = EK_MARKDOWN_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      ek_markdown_view_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_markdown_view_class_init (EkMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_markdown_view_dispose;
  object_class->finalize = ek_markdown_view_finalize;
  object_class->get_property = ek_markdown_view_get_property;
  object_class->set_property = ek_markdown_view_set_property;

  widget_class->root = ek_markdown_view_root;
  widget_class->realize = ek_markdown_view_realize;
  widget_class->unrealize = ek_markdown_view_unrealize;
  widget_class->map = ek_markdown_view_map;
  widget_class->unmap = ek_markdown_view_unmap;

  /**
   * EkMarkdownView:text:
   *
   * The Markdown text shown.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "markdownview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ek_markdown_view_init (EkMarkdownView *self)
{
  GtkLayoutManager *layout;
  GtkGesture *gesture;

  self->text = g_string_new (NULL);
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  self->blocks = g_ptr_array_new ();
  self->pending = g_ptr_array_new ();
  self->pages = g_ptr_array_new ();
  self->definitions = g_array_new (FALSE, FALSE, sizeof (Definition));
  self->defs_text = g_string_new (NULL);

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  gtk_widget_add_css_class (GTK_WIDGET (self), "markdown");

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_capture_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

/* --- Public API -------------------------------------------------------------- */

/**
 * ek_markdown_view_new:
 *
 * Returns: a new, empty #EkMarkdownView
 */
GtkWidget *
ek_markdown_view_new (void)
{
  return g_object_new (EK_TYPE_MARKDOWN_VIEW, NULL);
}

/**
 * ek_markdown_view_set_text:
 * @self: a #EkMarkdownView
 * @text: (nullable): Markdown text
 *
 * Shows @text.  Meant to be called repeatedly with the whole text of a
 * streaming reply: when @text extends the previous text (or is the
 * previous text cut short), only the end is parsed again and only changed
 * blocks are touched.  Any other change rebuilds every block.
 *
 * A long text is shown over several frames: the blocks that fit in one
 * frame's budget are built now, the others in the next frames (see
 * ek_markdown_view_get_n_pending()).  The introspection functions build
 * whatever is left first.
 */
void
ek_markdown_view_set_text (EkMarkdownView *self,
                           const char     *text)
{
  g_autofree char *valid = NULL;
  SplitState state = { SPLIT_NONE, };
  gsize len;
  gsize old_len;
  gsize common;
  gsize offset = 0;
  guint restart = 0;
  guint first_block = 0;
  gboolean shares;
  gboolean defs_changed;

  g_return_if_fail (EK_IS_MARKDOWN_VIEW (self));

  if (text == NULL)
    text = "";

  len = strlen (text);
  if (!g_utf8_validate (text, len, NULL))
    {
      valid = g_utf8_make_valid (text, len);
      text = valid;
      len = strlen (valid);
    }

  old_len = self->text->len;
  if (len == old_len && memcmp (text, self->text->str, len) == 0)
    return;

  /* the new text extends the old one, or is the old one cut short (a
   * chunk of a long text that ends earlier once the next chunk starts) */
  common = shared_prefix (self->text->str, old_len, text, len);
  shares = self->segments->len > 0 && len > 0 && common == MIN (len, old_len);

  if (wants_chunks (self, shares ? len - common : len, len))
    {
      set_text_in_chunks (self, text, len, common);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
      return;
    }
  if (self->chunks != NULL)
    {
      clear_chunks (self);
      shares = FALSE;
    }

  if (shares)
    {
      const Segment *last;

      /* The last segment that starts in the common text may change; if
       * its first line was not finished there, even whether it starts a
       * segment may change: go one further back. */
      restart = self->segments->len - 1;
      while (restart > 0 && g_array_index (self->segments, Segment, restart).start >= common)
        restart--;
      last = &g_array_index (self->segments, Segment, restart);
      if (restart > 0 && memchr (self->text->str + last->start, '\n', common - last->start) == NULL)
        restart--;

      last = &g_array_index (self->segments, Segment, restart);
      offset = last->start;
      state = last->state;
      first_block = last->first_block;

      g_string_truncate (self->text, common);
      g_string_append_len (self->text, text + common, len - common);
    }
  else
    {
      clear_blocks (self);
      g_string_assign (self->text, text);
    }

  g_array_set_size (self->segments, restart);
  for (guint i = self->definitions->len; i > 0; i--)
    {
      if (g_array_index (self->definitions, Definition, i - 1).offset < offset)
        break;
      g_array_set_size (self->definitions, i - 1);
    }

  split_from (self, offset, &state);
  update_definitions (self, &defs_changed);
  budget_begin (self, FALSE);

  /* New link definitions can change links anywhere: parse everything
   * again (widgets of unchanged blocks are still kept). */
  if (defs_changed && restart > 0)
    render_segments (self, 0, 0);
  else
    render_segments (self, restart, first_block);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

const char *
ek_markdown_view_get_text (EkMarkdownView *self)
{
  g_return_val_if_fail (EK_IS_MARKDOWN_VIEW (self), NULL);

  return self->text->str;
}

/**
 * ek_markdown_view_get_n_pending:
 * @self: a #EkMarkdownView
 *
 * Returns: how many parsed blocks of the text wait to be shown in the
 *   next frames (0 once the whole text is shown); for a long text in
 *   chunks, only what is near the visible part counts, as the rest is
 *   only built when it comes near
 */
guint
ek_markdown_view_get_n_pending (EkMarkdownView *self)
{
  guint n;

  g_return_val_if_fail (EK_IS_MARKDOWN_VIEW (self), 0);

  if (self->chunks == NULL)
    return self->pending->len;

  /* what is near the visible part */
  n = count_wanted_placeholders (self);
  for (guint i = 0; i < self->chunks->len; i++)
    {
      GtkWidget *widget = g_array_index (self->chunks, Chunk, i).widget;

      if (EK_IS_MARKDOWN_VIEW (widget))
        n += EK_MARKDOWN_VIEW (widget)->pending->len;
    }
  return n;
}

/**
 * ek_markdown_view_any_pending:
 *
 * Whether a realized view still lays out its text over the next frames:
 * a screenshot should wait until this is %FALSE.
 */
gboolean
ek_markdown_view_any_pending (void)
{
  return n_busy_views > 0;
}

/**
 * ek_markdown_view_get_n_blocks:
 * @self: a #EkMarkdownView
 *
 * Returns: the number of top-level blocks shown
 */
guint
ek_markdown_view_get_n_blocks (EkMarkdownView *self)
{
  g_return_val_if_fail (EK_IS_MARKDOWN_VIEW (self), 0);

  flush_pending (self);

  if (self->chunks != NULL)
    {
      guint n = 0;

      for (guint i = 0; i < self->chunks->len; i++)
        n += EK_MARKDOWN_VIEW (g_array_index (self->chunks, Chunk, i).widget)->blocks->len;
      return n;
    }
  return self->blocks->len;
}

/**
 * ek_markdown_view_get_block_widget:
 * @self: a #EkMarkdownView
 * @index: a block index
 *
 * Returns: (transfer none) (nullable): the widget of block @index
 */
GtkWidget *
ek_markdown_view_get_block_widget (EkMarkdownView *self,
                                   guint           index)
{
  g_return_val_if_fail (EK_IS_MARKDOWN_VIEW (self), NULL);

  flush_pending (self);

  if (self->chunks != NULL)
    {
      EkMarkdownView *view = chunk_view_of_block (self, index, &index);

      return view != NULL ? ek_markdown_view_get_block_widget (view, index) : NULL;
    }

  if (index >= self->blocks->len)
    return NULL;

  return ((Node *) g_ptr_array_index (self->blocks, index))->widget;
}

EkMarkdownBlockKind
ek_markdown_view_get_block_kind (EkMarkdownView *self,
                                 guint           index)
{
  const Node *node;

  g_return_val_if_fail (EK_IS_MARKDOWN_VIEW (self), EK_MARKDOWN_BLOCK_PARAGRAPH);

  flush_pending (self);
  if (self->chunks != NULL)
    {
      EkMarkdownView *view = chunk_view_of_block (self, index, &index);

      g_return_val_if_fail (view != NULL, EK_MARKDOWN_BLOCK_PARAGRAPH);
      return ek_markdown_view_get_block_kind (view, index);
    }
  g_return_val_if_fail (index < self->blocks->len, EK_MARKDOWN_BLOCK_PARAGRAPH);

  node = g_ptr_array_index (self->blocks, index);

  switch (node->kind)
    {
    case NODE_HEADING:
      return EK_MARKDOWN_BLOCK_HEADING;
    case NODE_CODE:
      return EK_MARKDOWN_BLOCK_CODE;
    case NODE_QUOTE:
      return EK_MARKDOWN_BLOCK_QUOTE;
    case NODE_LIST:
      return EK_MARKDOWN_BLOCK_LIST;
    case NODE_TABLE:
      return EK_MARKDOWN_BLOCK_TABLE;
    case NODE_RULE:
      return EK_MARKDOWN_BLOCK_RULE;
    case NODE_PARAGRAPH:
    case NODE_ITEM:
    case NODE_ROW:
    case NODE_CELL:
    case NODE_DOCUMENT:
    default:
      return EK_MARKDOWN_BLOCK_PARAGRAPH;
    }
}

static void node_append_plain (const Node *node,
                               guint       depth,
                               GString    *out);

static void
children_append_plain (const Node *node,
                       guint       depth,
                       const char *separator,
                       GString    *out)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      if (i > 0)
        g_string_append (out, separator);
      node_append_plain (g_ptr_array_index (node->children, i), depth, out);
    }
}

static void
node_append_plain (const Node *node,
                   guint       depth,
                   GString    *out)
{
  switch (node->kind)
    {
    case NODE_CODE:
      g_string_append (out, node->text->str);
      if (out->len > 0 && out->str[out->len - 1] == '\n')
        g_string_truncate (out, out->len - 1);
      break;

    case NODE_RULE:
      break;

    case NODE_LIST:
      for (guint i = 0; i < node->children->len; i++)
        {
          const Node *item = g_ptr_array_index (node->children, i);
          g_autofree char *marker = marker_text (node, item, depth);

          if (i > 0)
            g_string_append_c (out, '\n');
          g_string_append_printf (out, "%s ", marker);
          children_append_plain (item, depth + 1, "\n", out);
        }
      break;

    case NODE_QUOTE:
    case NODE_ITEM:
    case NODE_DOCUMENT:
      children_append_plain (node, depth, "\n", out);
      break;

    case NODE_TABLE:
      children_append_plain (node, depth, "\n", out);
      break;

    case NODE_ROW:
      children_append_plain (node, depth, "\t", out);
      break;

    case NODE_PARAGRAPH:
    case NODE_HEADING:
    case NODE_CELL:
    default:
      g_string_append (out, node->text->str);
      break;
    }
}

/**
 * ek_markdown_view_dup_block_text:
 * @self: a #EkMarkdownView
 * @index: a block index
 *
 * Returns the text block @index shows, without formatting: list items
 * start with their marker, table cells are separated by tabs.
 *
 * Returns: (transfer full) (nullable): the text
 */
char *
ek_markdown_view_dup_block_text (EkMarkdownView *self,
                                 guint           index)
{
  GString *out;

  g_return_val_if_fail (EK_IS_MARKDOWN_VIEW (self), NULL);

  flush_pending (self);

  if (self->chunks != NULL)
    {
      EkMarkdownView *view = chunk_view_of_block (self, index, &index);

      return view != NULL ? ek_markdown_view_dup_block_text (view, index) : NULL;
    }

  if (index >= self->blocks->len)
    return NULL;

  out = g_string_new (NULL);
  node_append_plain (g_ptr_array_index (self->blocks, index), 0, out);

  return g_string_free (out, FALSE);
}

/**
 * ek_markdown_view_get_n_blocks_built:
 * @self: a #EkMarkdownView
 *
 * Returns: how many top-level block widgets were created so far
 */
guint
ek_markdown_view_get_n_blocks_built (EkMarkdownView *self)
{
  g_return_val_if_fail (EK_IS_MARKDOWN_VIEW (self), 0);

  flush_pending (self);

  if (self->chunks != NULL)
    {
      guint n = 0;

      for (guint i = 0; i < self->chunks->len; i++)
        n += EK_MARKDOWN_VIEW (g_array_index (self->chunks, Chunk, i).widget)->n_built;
      return n;
    }
  return self->n_built;
}

/**
 * ek_markdown_view_get_n_blocks_updated:
 * @self: a #EkMarkdownView
 *
 * Returns: how many times a top-level block widget was updated in place
 */
guint
ek_markdown_view_get_n_blocks_updated (EkMarkdownView *self)
{
  g_return_val_if_fail (EK_IS_MARKDOWN_VIEW (self), 0);

  flush_pending (self);

  if (self->chunks != NULL)
    {
      guint n = 0;

      for (guint i = 0; i < self->chunks->len; i++)
        n += EK_MARKDOWN_VIEW (g_array_index (self->chunks, Chunk, i).widget)->n_updated;
      return n;
    }
  return self->n_updated;
}

static void
node_serialize (const Node *node,
                GString    *out)
{
  switch (node->kind)
    {
    case NODE_PARAGRAPH:
      g_string_append_printf (out, "P(%s)", node->markup->str);
      return;

    case NODE_HEADING:
      g_string_append_printf (out, "H%u(%s)", node->level, node->markup->str);
      return;

    case NODE_CODE:
      g_string_append_printf (out, "C[%s](%s)", node->lang ? node->lang : "", node->text->str);
      return;

    case NODE_RULE:
      g_string_append (out, "HR");
      return;

    case NODE_CELL:
      g_string_append_printf (out, "c%d%d(%s)", node->header, node->align, node->markup->str);
      return;

    case NODE_QUOTE:
      g_string_append (out, "Q");
      break;

    case NODE_LIST:
      g_string_append_printf (out, "L%c%c", node->ordered ? 'o' : 'u', node->mark);
      break;

    case NODE_ITEM:
      g_string_append_printf (out, "I%u.%d", node->number, node->task);
      break;

    case NODE_TABLE:
      g_string_append (out, "T");
      break;

    case NODE_ROW:
      g_string_append (out, "R");
      break;

    case NODE_DOCUMENT:
    default:
      break;
    }

  g_string_append_c (out, '{');
  for (guint i = 0; i < node->children->len; i++)
    node_serialize (g_ptr_array_index (node->children, i), out);
  g_string_append_c (out, '}');
}

/* One line per top-level block, and one per item of a top-level list, so
 * that lists cut into several blocks compare equal to whole ones. */
static void
blocks_serialize (GPtrArray *blocks,
                  GString   *out)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      const Node *node = g_ptr_array_index (blocks, i);

      if (node->kind != NODE_LIST)
        {
          node_serialize (node, out);
          g_string_append_c (out, '\n');
          continue;
        }

      for (guint j = 0; j < node->children->len; j++)
        {
          g_string_append_printf (out, "L%c%c{", node->ordered ? 'o' : 'u', node->mark);
          node_serialize (g_ptr_array_index (node->children, j), out);
          g_string_append (out, "}\n");
        }
    }
}

/**
 * ek_markdown_view_dup_structure:
 * @self: a #EkMarkdownView
 *
 * Returns a description of the blocks shown, for tests: compare it with
 * ek_markdown_dup_reference_structure() of the same text.
 *
 * Returns: (transfer full): the description
 */
char *
ek_markdown_view_dup_structure (EkMarkdownView *self)
{
  GString *out;

  g_return_val_if_fail (EK_IS_MARKDOWN_VIEW (self), NULL);

  flush_pending (self);

  out = g_string_new (NULL);
  if (self->chunks != NULL)
    {
      for (guint i = 0; i < self->chunks->len; i++)
        blocks_serialize (EK_MARKDOWN_VIEW (g_array_index (self->chunks, Chunk, i).widget)->blocks, out);
    }
  else
    blocks_serialize (self->blocks, out);

  return g_string_free (out, FALSE);
}

/**
 * ek_markdown_dup_reference_structure:
 * @text: Markdown text
 *
 * Parses @text in one go, without cutting it into segments, and describes
 * the result like ek_markdown_view_dup_structure().
 *
 * Returns: (transfer full): the description
 */
char *
ek_markdown_dup_reference_structure (const char *text)
{
  g_autoptr(GPtrArray) blocks = parse_blocks (text, strlen (text));
  GString *out = g_string_new (NULL);

  blocks_serialize (blocks, out);

  return g_string_free (out, FALSE);
}
