/* sd-unsent-dialog.c
 *
 * Conflicts (someone else changed the case first) and changes the server
 * refused stay in the outbox until the user decides: keep mine or take
 * theirs; try again or discard. Nothing is dropped on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-unsent-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-unsent-dialog.h"

struct _SdUnsentDialog
{
  AdwWindow             parent_instance;

  SdAccount            *account;  /* owned */
  GPtrArray            *rows;     /* the rows added, to remove them */
  guint                 n_kept;   /* rows of kept_group: my versions not taken */

  /* template children */
  AdwPreferencesPage   *page;
  AdwPreferencesGroup  *conflicts_group;
  AdwPreferencesGroup  *kept_group;
  AdwPreferencesGroup  *refused_group;
  AdwStatusPage        *empty_page;
  GtkStack             *stack;
};

G_DEFINE_FINAL_TYPE (SdUnsentDialog, sd_unsent_dialog, ADW_TYPE_WINDOW)

static void rebuild (SdUnsentDialog *self);
static void synced_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* "SD-2026-00042 Agents offline" (or a customer's name), from the local
 * view of the entity. */
static char *
describe_entity (SdUnsentDialog *self,
                 SdOutboxEntry  *entry)
{
  g_autoptr(JsonNode) node = sd_local_store_get (sd_account_get_store (self->account), entry->kind, entry->id, NULL);
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *number = object ? json_object_get_string_member_with_default (object, "number", NULL) : NULL;
  const char *title = object ? json_object_get_string_member_with_default (object, "title", NULL) : NULL;

  /* A customer or a contact is known by its name. */
  if (title == NULL && object != NULL)
    title = json_object_get_string_member_with_default (object, "name", NULL);
  if (number != NULL && title != NULL)
    return g_strdup_printf ("%s %s", number, title);
  if (title != NULL)
    return g_strdup (title);
  return g_strdup (entry->id);
}

/* The words for the members a TAM edits; others keep their wire names. */
static const char *
member_label (const char *name)
{
  /* A field is the time of the response, not the event "Responded". */
  static const struct { const char *name; const char *context; const char *label; } labels[] = {
    { "title", NULL, N_("Title") },
    { "description", NULL, N_("Description") },
    { "status", NULL, N_("Status") },
    { "severity", NULL, N_("Severity") },
    { "assignee_id", NULL, N_("Assignee") },
    { "responded_at", "case field", NC_("case field", "Responded") },
    { "resolved_at", "case field", NC_("case field", "Resolved") },
    { "scheduled_on", NULL, N_("Day") },
    { "notes", NULL, N_("Notes") },
    { "contact", NULL, N_("Contact") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (name, labels[i].name))
      return labels[i].context != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, labels[i].context, labels[i].label)
                                       : _(labels[i].label);
  return name;
}

static char *
member_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("nothing"));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return sd_json_to_string (node, FALSE);
}

/* What differs: each member of my patch against the server's value. */
static char *
describe_conflict (SdOutboxEntry *entry)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *mine;

  if (entry->payload == NULL || !JSON_NODE_HOLDS_OBJECT (entry->payload))
    return g_strdup ("");
  json_object_iter_init (&iter, json_node_get_object (entry->payload));
  while (json_object_iter_next (&iter, &name, &mine))
    {
      JsonNode *theirs = entry->server_entity && JSON_NODE_HOLDS_OBJECT (entry->server_entity)
                         ? json_object_get_member (json_node_get_object (entry->server_entity), name) : NULL;
      g_autofree char *mine_text = NULL;
      g_autofree char *theirs_text = NULL;

      if (g_str_equal (name, "reason"))
        continue;
      mine_text = member_text (mine);
      theirs_text = member_text (theirs);
      if (text->len > 0)
        g_string_append (text, "\n");
      /* Translators: a field, your value and the server's value */
      g_string_append_printf (text, _("%s: yours “%s”, on the server “%s”"), member_label (name), mine_text, theirs_text);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sd_sync_engine_sync_finish (SD_SYNC_ENGINE (object), result, &error))
    g_debug ("sync after a decision: %s", error->message);
}

/* "Title: Agents offline": my values of a change, to copy. */
static char *
describe_mine (SdOutboxEntry *entry)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *mine;

  if (entry->payload == NULL || !JSON_NODE_HOLDS_OBJECT (entry->payload))
    return g_strdup ("");
  json_object_iter_init (&iter, json_node_get_object (entry->payload));
  while (json_object_iter_next (&iter, &name, &mine))
    {
      g_autofree char *mine_text = member_text (mine);

      if (text->len > 0)
        g_string_append (text, "\n");
      /* Translators: a field and your value of it */
      g_string_append_printf (text, _("%s: %s"), member_label (name), mine_text);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
copy_clicked_cb (GtkButton *button)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          g_object_get_data (G_OBJECT (button), "sd-text"));
}

/* Taking theirs never loses mine unseen: my version stays in the dialog,
 * with a button to copy it. */
static void
keep_my_version (SdUnsentDialog *self,
                 gint64          seq)
{
  g_autoptr(GPtrArray) conflicts = sd_local_store_list_outbox (sd_account_get_store (self->account),
                                                               SD_OUTBOX_STATE_CONFLICT, NULL);

  for (guint i = 0; conflicts && i < conflicts->len; i++)
    {
      SdOutboxEntry *entry = conflicts->pdata[i];
      g_autofree char *title = NULL;
      g_autofree char *text = NULL;
      GtkWidget *row, *copy;

      if (entry->seq != seq)
        continue;
      title = describe_entity (self, entry);
      text = describe_mine (entry);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
      gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (copy, _("Copy your version"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Copy your version"), -1);
      g_object_set_data_full (G_OBJECT (copy), "sd-text", g_steal_pointer (&text), g_free);
      g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
      adw_preferences_group_add (self->kept_group, row);
      self->n_kept++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->kept_group), self->n_kept > 0);
}

static void
decide (SdUnsentDialog *self,
        GtkButton      *button,
        const char     *decision)
{
  SdLocalStore *store = sd_account_get_store (self->account);
  gint64 seq = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "sd-seq"));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (decision, "mine"))
    ok = sd_local_store_resolve_conflict (store, seq, SD_CONFLICT_KEEP_MINE, &error);
  else if (g_str_equal (decision, "theirs"))
    {
      keep_my_version (self, seq);
      ok = sd_local_store_resolve_conflict (store, seq, SD_CONFLICT_TAKE_THEIRS, &error);
    }
  else if (g_str_equal (decision, "retry"))
    ok = sd_local_store_retry (store, seq, &error);
  else
    ok = sd_local_store_discard (store, seq, &error);

  if (!ok)
    g_warning ("%s", error->message);
  /* Mine and retried changes go out now. */
  if (sd_account_get_engine (self->account) != NULL)
    sd_sync_engine_sync_async (sd_account_get_engine (self->account), NULL, synced_cb, NULL);
  rebuild (self);
}

/* "Edit": the user writes the values to send, starting from theirs; the
 * server's version becomes the base, so nothing of theirs is overwritten
 * unseen. */
static void
edit_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  SdUnsentDialog   *self)
{
  SdOutboxEntry *entry = g_object_get_data (G_OBJECT (dialog), "sd-entry");
  GPtrArray *rows = g_object_get_data (G_OBJECT (dialog), "sd-rows");
  SdLocalStore *store = sd_account_get_store (self->account);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(GError) error = NULL;
  gint64 base;

  if (!g_str_equal (response, "send"))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      AdwEntryRow *row = rows->pdata[i];
      const char *name = g_object_get_data (G_OBJECT (row), "sd-member");
      const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
      gboolean is_string = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "sd-string"));
      g_autoptr(JsonNode) value = is_string ? NULL : json_from_string (text, NULL);

      json_builder_set_member_name (builder, name);
      if (is_string || value == NULL)
        json_builder_add_string_value (builder, text);
      else
        json_builder_add_value (builder, g_steal_pointer (&value));
    }
  json_builder_end_object (builder);
  patch = json_builder_get_root (builder);
  base = json_object_get_int_member_with_default (json_node_get_object (entry->server_entity), "version", 0);

  if (!sd_local_store_resolve_conflict (store, entry->seq, SD_CONFLICT_TAKE_THEIRS, &error)
      || sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, entry->kind, entry->id, patch, base, &error) <= 0)
    g_warning ("%s", error->message);
  if (sd_account_get_engine (self->account) != NULL)
    sd_sync_engine_sync_async (sd_account_get_engine (self->account), NULL, synced_cb, NULL);
  rebuild (self);
}

static void
edit (SdUnsentDialog *self,
      SdOutboxEntry  *entry)
{
  AdwMessageDialog *dialog;
  GtkWidget *list = gtk_list_box_new ();
  GPtrArray *rows = g_ptr_array_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *mine;

  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  json_object_iter_init (&iter, json_node_get_object (entry->payload));
  while (json_object_iter_next (&iter, &name, &mine))
    {
      GtkWidget *row;
      gboolean is_string = JSON_NODE_HOLDS_VALUE (mine) && json_node_get_value_type (mine) == G_TYPE_STRING;
      g_autofree char *text = NULL;

      if (g_str_equal (name, "reason"))
        continue;
      text = is_string ? g_strdup (json_node_get_string (mine)) : sd_json_to_string (mine, FALSE);
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), member_label (name));
      gtk_editable_set_text (GTK_EDITABLE (row), text);
      g_object_set_data_full (G_OBJECT (row), "sd-member", g_strdup (name), g_free);
      g_object_set_data (G_OBJECT (row), "sd-string", GINT_TO_POINTER (is_string));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (rows, row);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Edit Your Change"),
                                                       _("Write what the case should say now. It is sent on top of the server’s version.")));
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "send", _("_Send"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "send");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sd-entry", sd_outbox_entry_copy (entry),
                          (GDestroyNotify) sd_outbox_entry_free);
  g_object_set_data_full (G_OBJECT (dialog), "sd-rows", rows, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (edit_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
button_clicked_cb (GtkButton      *button,
                   SdUnsentDialog *self)
{
  const char *decision = g_object_get_data (G_OBJECT (button), "sd-decision");

  if (g_str_equal (decision, "edit"))
    {
      gint64 seq = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "sd-seq"));
      g_autoptr(GPtrArray) conflicts = sd_local_store_list_outbox (sd_account_get_store (self->account),
                                                                   SD_OUTBOX_STATE_CONFLICT, NULL);

      for (guint i = 0; conflicts && i < conflicts->len; i++)
        if (((SdOutboxEntry *) conflicts->pdata[i])->seq == seq)
          edit (self, conflicts->pdata[i]);
      return;
    }
  decide (self, button, decision);
}

static GtkWidget *
decision_button (SdUnsentDialog *self,
                 const char     *label,
                 const char     *decision,
                 gint64          seq)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "sd-seq", GSIZE_TO_POINTER (seq));
  g_object_set_data (G_OBJECT (button), "sd-decision", (gpointer) decision);
  g_signal_connect (button, "clicked", G_CALLBACK (button_clicked_cb), self);
  return button;
}

static void
add_row (SdUnsentDialog      *self,
         AdwPreferencesGroup *group,
         SdOutboxEntry       *entry,
         const char          *subtitle,
         const char          *first_label,
         const char          *first,
         const char          *second_label,
         const char          *second,
         const char          *third_label,
         const char          *third)
{
  g_autofree char *title = describe_entity (self, entry);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_box_append (GTK_BOX (box), decision_button (self, first_label, first, entry->seq));
  gtk_box_append (GTK_BOX (box), decision_button (self, second_label, second, entry->seq));
  if (third != NULL)
    gtk_box_append (GTK_BOX (box), decision_button (self, third_label, third, entry->seq));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
}

static void
rebuild (SdUnsentDialog *self)
{
  SdLocalStore *store = sd_account_get_store (self->account);
  g_autoptr(GPtrArray) conflicts = sd_local_store_list_outbox (store, SD_OUTBOX_STATE_CONFLICT, NULL);
  g_autoptr(GPtrArray) refused = sd_local_store_list_outbox (store, SD_OUTBOX_STATE_NEEDS_ATTENTION, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = self->rows->pdata[i];
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)), row);
    }
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; conflicts && i < conflicts->len; i++)
    {
      g_autofree char *subtitle = describe_conflict (conflicts->pdata[i]);

      add_row (self, self->conflicts_group, conflicts->pdata[i], subtitle,
               _("Keep _Mine"), "mine", _("Take _Theirs"), "theirs", _("_Edit…"), "edit");
    }
  for (guint i = 0; refused && i < refused->len; i++)
    {
      SdOutboxEntry *entry = refused->pdata[i];

      add_row (self, self->refused_group, entry, entry->last_error ? entry->last_error : "",
               _("Try _Again"), "retry", _("_Discard"), "discard", NULL, NULL);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), conflicts && conflicts->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->refused_group), refused && refused->len > 0);
  gtk_stack_set_visible_child (self->stack, self->rows->len > 0 || self->n_kept > 0 ? GTK_WIDGET (self->page)
                                                                                   : GTK_WIDGET (self->empty_page));
}

static void
sd_unsent_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_UNSENT_DIALOG);

  G_OBJECT_CLASS (sd_unsent_dialog_parent_class)->dispose (object);
}

static void
sd_unsent_dialog_finalize (GObject *object)
{
  SdUnsentDialog *self = SD_UNSENT_DIALOG (object);

  g_clear_object (&self->account);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sd_unsent_dialog_parent_class)->finalize (object);
}

static void
sd_unsent_dialog_class_init (SdUnsentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_unsent_dialog_dispose;
  object_class->finalize = sd_unsent_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-unsent-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdUnsentDialog, page);
  gtk_widget_class_bind_template_child (widget_class, SdUnsentDialog, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, SdUnsentDialog, kept_group);
  gtk_widget_class_bind_template_child (widget_class, SdUnsentDialog, refused_group);
  gtk_widget_class_bind_template_child (widget_class, SdUnsentDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SdUnsentDialog, stack);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_unsent_dialog_init (SdUnsentDialog *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdUnsentDialog *
sd_unsent_dialog_new (GtkWindow *parent,
                      SdAccount *account)
{
  SdUnsentDialog *self;

  g_return_val_if_fail (SD_IS_ACCOUNT (account), NULL);

  self = g_object_new (SD_TYPE_UNSENT_DIALOG, "transient-for", parent, NULL);
  self->account = g_object_ref (account);
  rebuild (self);
  return self;
}

guint
sd_unsent_dialog_get_n_rows (SdUnsentDialog *self)
{
  g_return_val_if_fail (SD_IS_UNSENT_DIALOG (self), 0);
  return self->rows->len;
}
