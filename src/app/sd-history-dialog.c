/* sd-history-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-history-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-history-dialog.h"
#include "sd-sla-text.h"

#define PAGE_SIZE 200
#define MAX_PAGES 50   /* 10,000 writes: far more than a case sees */

struct _SdHistoryDialog
{
  AdwWindow     parent_instance;

  SdRestClient *client;       /* owned; NULL: a local workspace */
  SdBoardData  *data;         /* owned; may be NULL */
  char         *case_id;
  GCancellable *cancellable;  /* owned: the load on its way, cancelled in dispose */
  JsonObject   *state;        /* owned: the members the writes so far set (others unknown) */
  guint         n_pages;
  guint         n_rows;
  GString      *text;         /* the rows' texts (tests) */
  char         *error;        /* the error page's text (tests) */

  /* template children */
  GtkWidget    *window_title;
  GtkWidget    *stack;
  GtkWidget    *spinner;
  GtkWidget    *list;
  GtkWidget    *error_page;
  GtkWidget    *retry_button;
};

G_DEFINE_FINAL_TYPE (SdHistoryDialog, sd_history_dialog, ADW_TYPE_WINDOW)

static void load (SdHistoryDialog *self, const char *cursor);

/* The members of a case in words; NULL for bookkeeping the history
 * leaves out. */
static const char *
field_label (const char *name)
{
  static const struct {
    const char *name;
    const char *label;
  } fields[] = {
    { "title", N_("Title") },
    { "description", N_("Description") },
    { "type", N_("Type") },
    { "severity", N_("Severity") },
    { "status", N_("Status") },
    { "assignee_id", N_("Assignee") },
    { "reported_at", N_("Reported") },
    { "reported_via", N_("Reported via") },
    { "responded_at", N_("Responded") },
    { "resolved_at", N_("Resolved") },
    { "details", N_("Details") },
    { "customer_id", N_("Customer") },
    { "reason", N_("Reason") },
  };
  static const char * const skipped[] = { "id", "number", "version", "updated_at", "sla", NULL };

  if (g_strv_contains (skipped, name))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, name))
      return _(fields[i].label);
  return name;
}

/* A member's value in words: labels for enumerations, names for users,
 * local times for instants. */
static char *
value_text (SdHistoryDialog *self,
            const char      *name,
            JsonNode        *value)
{
  const char *text;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    /* Translators: an empty field in the case's history, e.g. "Assignee: none → Li Na" */
    return g_strdup (_("none"));
  if (!JSON_NODE_HOLDS_VALUE (value))
    return sd_json_to_string (value, FALSE);
  if (json_node_get_value_type (value) != G_TYPE_STRING)
    {
      if (g_str_equal (name, "severity") && json_node_get_value_type (value) == G_TYPE_INT64)
        return sd_severity_pill_text ((int) json_node_get_int (value));
      return sd_json_to_string (value, FALSE);
    }

  text = json_node_get_string (value);
  if (g_str_equal (name, "status"))
    {
      SdCaseStatus status;

      if (sd_case_status_from_string (text, &status))
        return g_strdup (sd_case_status_get_label (status));
    }
  else if (g_str_equal (name, "type"))
    {
      SdCaseType type;

      if (sd_case_type_from_string (text, &type))
        return g_strdup (sd_case_type_get_label (type));
    }
  else if (g_str_equal (name, "reported_via"))
    {
      SdReportedVia via;

      if (sd_reported_via_from_string (text, &via))
        return g_strdup (sd_reported_via_get_label (via));
    }
  else if (g_str_equal (name, "assignee_id"))
    {
      SdUser *user = self->data ? g_hash_table_lookup (self->data->users, text) : NULL;

      if (user != NULL)
        return g_strdup (sd_user_get_display_name (user));
    }
  else if (g_str_has_suffix (name, "_at"))
    {
      gint64 t;

      if (sd_time_parse_iso8601 (text, NULL, &t, NULL))
        return sd_format_date_time (t, NULL);
    }
  return g_strdup (text);
}

/* "Status: In Progress → Waiting for Customer", one line per member of
 * @patch; the old values from @self->state, which @patch then updates.
 * A member no earlier write set (the case came from the server's own
 * seeding, or the log starts later) shows its new value only. */
static void
describe_patch (SdHistoryDialog *self,
                JsonObject      *patch,
                GString         *lines)
{
  g_autoptr(GList) members = json_object_get_members (patch);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const char *label = field_label (name);
      JsonNode *value = json_object_get_member (patch, name);
      g_autofree char *after = NULL;

      if (label == NULL)
        continue;
      after = value_text (self, name, value);
      if (lines->len > 0)
        g_string_append_c (lines, '\n');
      if (json_object_has_member (self->state, name) && !g_str_equal (name, "reason"))
        {
          g_autofree char *before = value_text (self, name, json_object_get_member (self->state, name));

          /* Translators: a field's change in the case's history: the field, the old value, the new value */
          g_string_append_printf (lines, _("%s: %s → %s"), label, before, after);
        }
      else
        /* Translators: a field in the case's history with its new value, the old one unknown */
        g_string_append_printf (lines, _("%s: %s"), label, after);
    }
  for (GList *l = members; l != NULL; l = l->next)
      if (!g_str_equal (l->data, "reason"))
        json_object_set_member (self->state, l->data, json_node_copy (json_object_get_member (patch, l->data)));
}

/* "4 Dec 2026 10:05 · Wang Qiang · session 3f2a9c1b04de · 192.0.2.7" */
static char *
describe_origin (SdHistoryDialog *self,
                 JsonObject      *entry)
{
  const char *user_id = json_object_get_string_member_with_default (entry, "user_id", NULL);
  const char *session = json_object_get_string_member_with_default (entry, "session", NULL);
  const char *address = json_object_get_string_member_with_default (entry, "address", NULL);
  SdUser *user = user_id && self->data ? g_hash_table_lookup (self->data->users, user_id) : NULL;
  GString *origin = g_string_new (NULL);
  gint64 at = 0;

  if (sd_time_parse_iso8601 (json_object_get_string_member (entry, "at"), NULL, &at, NULL))
    {
      g_autofree char *when = sd_format_date_time (at, NULL);

      g_string_append (origin, when);
    }
  g_string_append (origin, " · ");
  /* Translators: the author of a write the server made itself (seeding, demo data) */
  g_string_append (origin, user ? sd_user_get_display_name (user) : user_id ? user_id : _("The server"));
  if (session != NULL)
    {
      g_string_append (origin, " · ");
      /* Translators: the session a change came from, e.g. "session 3f2a9c1b04de" */
      g_string_append_printf (origin, _("session %s"), session);
    }
  if (address != NULL)
    g_string_append_printf (origin, " · %s", address);
  return g_string_free (origin, FALSE);
}

static void
add_entry (SdHistoryDialog *self,
           JsonObject      *entry)
{
  const char *action = json_object_get_string_member (entry, "action");
  JsonNode *patch_node = json_object_get_member (entry, "patch");
  JsonObject *patch = patch_node && JSON_NODE_HOLDS_OBJECT (patch_node) ? json_node_get_object (patch_node) : NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *origin = describe_origin (self, entry);
  g_autofree char *markup = NULL;
  GtkWidget *row;

  if (g_str_equal (action, "create"))
    {
      g_string_append (lines, _("Case created"));
      /* What it was created as is where the next write's old values
       * come from. */
      if (patch != NULL)
        {
          g_autoptr(GList) members = json_object_get_members (patch);

          for (GList *l = members; l != NULL; l = l->next)
            json_object_set_member (self->state, l->data, json_node_copy (json_object_get_member (patch, l->data)));
          /* What the server fills in when the client leaves it out. */
          if (!json_object_has_member (self->state, "status"))
            json_object_set_string_member (self->state, "status", "new");
        }
    }
  else if (g_str_equal (action, "delete"))
    g_string_append (lines, _("Case deleted"));
  else if (patch != NULL)
    describe_patch (self, patch, lines);
  if (lines->len == 0)
    g_string_append (lines, _("Case changed"));

  markup = g_markup_escape_text (lines->str, -1);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), markup);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), origin);
  gtk_list_box_append (GTK_LIST_BOX (self->list), row);
  self->n_rows++;
  g_string_append_printf (self->text, "%s\n%s\n\n", lines->str, origin);
}

static void
show_error (SdHistoryDialog *self,
            const char      *icon,
            const char      *title,
            const char      *description,
            gboolean         retry)
{
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->error_page), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (self->error_page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->error_page), description);
  gtk_widget_set_visible (self->retry_button, retry);
  g_free (self->error);
  self->error = g_strdup_printf ("%s\n%s", title, description);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
}

static void
show_load_error (SdHistoryDialog *self,
                 const GError    *error)
{
  if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_NETWORK)
      || g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_TIMEOUT))
    show_error (self, "network-offline-symbolic", _("Cannot Reach the Server"),
                _("The history is kept by the server. Check the connection and try again."), TRUE);
  else if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_FORBIDDEN))
    show_error (self, "action-unavailable-symbolic", _("Not Allowed"),
                _("Only duty managers and administrators may read a case’s history."), FALSE);
  else
    show_error (self, "dialog-error-symbolic", _("Could Not Load the History"), error->message, TRUE);
}

static void
page_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = sd_rest_client_audit_finish (SD_REST_CLIENT (object), result, &error);
  SdHistoryDialog *self = user_data;  /* alive unless cancelled (dispose cancels) */
  JsonArray *items;
  const char *cursor;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (page == NULL)
    {
      show_load_error (self, error);
      return;
    }
  items = json_object_get_array_member (json_node_get_object (page), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    add_entry (self, json_array_get_object_element (items, i));
  cursor = json_object_get_string_member_with_default (json_node_get_object (page), "next_cursor", NULL);
  if (cursor != NULL && ++self->n_pages < MAX_PAGES)
    {
      load (self, cursor);
      return;
    }
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->n_rows > 0 ? "list" : "empty");
}

static void
load (SdHistoryDialog *self,
      const char      *cursor)
{
  sd_rest_client_audit_async (self->client, "case", self->case_id, cursor, PAGE_SIZE, self->cancellable,
                              page_loaded_cb, self);
}

static void
start (SdHistoryDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  g_clear_pointer (&self->state, json_object_unref);
  self->state = json_object_new ();
  g_string_truncate (self->text, 0);
  self->n_rows = 0;
  self->n_pages = 0;

  if (self->client == NULL)
    {
      show_error (self, "computer-symbolic", _("No History in a Local Workspace"),
                  _("The history of a case is kept by the server. Sign in to a server to see it."), FALSE);
      return;
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  load (self, NULL);
}

static void
retry_clicked_cb (SdHistoryDialog *self)
{
  start (self);
}

static void
sd_history_dialog_dispose (GObject *object)
{
  SdHistoryDialog *self = SD_HISTORY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_HISTORY_DIALOG);

  G_OBJECT_CLASS (sd_history_dialog_parent_class)->dispose (object);
}

static void
sd_history_dialog_finalize (GObject *object)
{
  SdHistoryDialog *self = SD_HISTORY_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->data, sd_board_data_unref);
  g_clear_pointer (&self->state, json_object_unref);
  g_string_free (self->text, TRUE);
  g_free (self->case_id);
  g_free (self->error);

  G_OBJECT_CLASS (sd_history_dialog_parent_class)->finalize (object);
}

static void
sd_history_dialog_class_init (SdHistoryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_history_dialog_dispose;
  object_class->finalize = sd_history_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-history-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdHistoryDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SdHistoryDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SdHistoryDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SdHistoryDialog, list);
  gtk_widget_class_bind_template_child (widget_class, SdHistoryDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, SdHistoryDialog, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_history_dialog_init (SdHistoryDialog *self)
{
  self->text = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdHistoryDialog *
sd_history_dialog_new (GtkWindow    *parent,
                       SdRestClient *client,
                       SdBoardData  *data,
                       const char   *case_id,
                       const char   *label)
{
  SdHistoryDialog *self;

  g_return_val_if_fail (client == NULL || SD_IS_REST_CLIENT (client), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  self = g_object_new (SD_TYPE_HISTORY_DIALOG, "transient-for", parent, NULL);
  self->client = client ? g_object_ref (client) : NULL;
  self->data = data ? sd_board_data_ref (data) : NULL;
  self->case_id = g_strdup (case_id);
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), label);
  start (self);
  return self;
}

const char *
sd_history_dialog_get_state (SdHistoryDialog *self)
{
  g_return_val_if_fail (SD_IS_HISTORY_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

guint
sd_history_dialog_get_n_rows (SdHistoryDialog *self)
{
  g_return_val_if_fail (SD_IS_HISTORY_DIALOG (self), 0);
  return self->n_rows;
}

char *
sd_history_dialog_dup_text (SdHistoryDialog *self)
{
  g_return_val_if_fail (SD_IS_HISTORY_DIALOG (self), NULL);
  return g_strdup (self->text->str);
}

const char *
sd_history_dialog_get_error (SdHistoryDialog *self)
{
  g_return_val_if_fail (SD_IS_HISTORY_DIALOG (self), NULL);
  return self->error;
}
