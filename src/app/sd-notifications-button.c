/* sd-notifications-button.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-notifications-button"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-clock.h"
#include "sd-json.h"
#include "sd-kind.h"
#include "sd-notification.h"
#include "sd-notifications-button.h"
#include "sd-sla-text.h"
#include "sd-time.h"
#include "sd-window.h"

/* A popover lists this many, newest first; the count covers them all. */
#define MAX_SHOWN 100

/* One row, read from the store in a worker thread. */
typedef struct {
  char   *id;
  char   *case_id;      /* nullable */
  char   *case_number;  /* nullable: the case is not in the local store */
  char   *text;
  gint64  created_at;
  gint64  version;
  gboolean unread;
} Item;

/* What a reload finds. */
typedef struct {
  GPtrArray *items;     /* of Item, newest first, at most MAX_SHOWN */
  guint      n_unread;  /* all of them, shown or not */
} Listing;

struct _SdNotificationsButton
{
  AdwBin parent_instance;

  SdLocalStore *store;           /* owned */
  GSignalGroup *store_signals;   /* the store's "changed" */
  GCancellable *cancellable;     /* the reload under way */
  GPtrArray    *items;           /* of Item, the rows shown */
  guint         n_unread;

  /* template children */
  GtkMenuButton *menu_button;
  GtkLabel      *badge_label;
  GtkPopover    *popover;
  GtkButton     *mark_all_button;
  GtkStack      *stack;
  GtkListBox    *list_box;
};

G_DEFINE_FINAL_TYPE (SdNotificationsButton, sd_notifications_button, ADW_TYPE_BIN)

static void
item_free (Item *item)
{
  g_free (item->id);
  g_free (item->case_id);
  g_free (item->case_number);
  g_free (item->text);
  g_free (item);
}

static void
listing_free (Listing *listing)
{
  g_clear_pointer (&listing->items, g_ptr_array_unref);
  g_free (listing);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  SdNotification *x = *(SdNotification **) a;
  SdNotification *y = *(SdNotification **) b;
  gint64 tx = sd_notification_get_created_at (x), ty = sd_notification_get_created_at (y);

  if (tx != ty)
    return tx > ty ? -1 : 1;
  return g_strcmp0 (sd_notification_get_id (y), sd_notification_get_id (x));
}

/* In a worker thread: the notifications, newest first, with their cases'
 * numbers. Unread ones beyond MAX_SHOWN still count (and Mark All marks
 * them: they come back as items with no row). */
static void
list_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SdLocalStore *store = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  Listing *listing;

  bodies = sd_local_store_list (store, "notification", NULL, &error);
  if (bodies == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  notifications = sd_kind_decode_all (sd_kind_lookup ("notification"), bodies);
  g_ptr_array_sort (notifications, compare_newest_first);

  listing = g_new0 (Listing, 1);
  listing->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  for (guint i = 0; i < notifications->len; i++)
    {
      SdNotification *notification = g_ptr_array_index (notifications, i);
      gboolean unread = sd_notification_get_read_at (notification) == SD_TIME_NONE;
      Item *item;

      if (unread)
        listing->n_unread++;
      if (i >= MAX_SHOWN && !unread)
        continue;
      item = g_new0 (Item, 1);
      item->id = g_strdup (sd_notification_get_id (notification));
      item->case_id = g_strdup (sd_notification_get_case_id (notification));
      item->text = g_strdup (sd_notification_get_text (notification));
      item->created_at = sd_notification_get_created_at (notification);
      item->version = sd_notification_get_version (notification);
      item->unread = unread;
      if (item->case_id != NULL && i < MAX_SHOWN)
        {
          g_autoptr(JsonNode) body = sd_local_store_get (store, "case", item->case_id, NULL);

          if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
            item->case_number = g_strdup (json_object_get_string_member_with_default (json_node_get_object (body),
                                                                                       "number", NULL));
        }
      g_ptr_array_add (listing->items, item);
    }
  g_task_return_pointer (task, listing, (GDestroyNotify) listing_free);
}

static char *
describe_age (gint64 created_at)
{
  gint64 age = sd_clock_get_now (sd_clock_get_default ()) - created_at;
  g_autofree char *duration = NULL;

  if (age < 60)
    return g_strdup (_("Just now"));
  duration = sd_format_duration (age);
  /* Translators: how long ago a notification came, e.g. "35 min ago" */
  return g_strdup_printf (_("%s ago"), duration);
}

static GtkWidget *
create_row (Item *item)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon, *text, *details;
  g_autofree char *age = describe_age (item->created_at);
  g_autoptr(GString) line = g_string_new (NULL);

  /* Unread: an icon and the word, not a colour alone. */
  icon = gtk_image_new_from_icon_name (item->unread ? "mail-unread-symbolic" : "mail-read-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  item->unread ? _("Unread") : _("Read"), -1);
  gtk_box_append (GTK_BOX (box), icon);

  text = gtk_label_new (item->text);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 40);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  if (item->unread)
    gtk_widget_add_css_class (text, "heading");
  gtk_box_append (GTK_BOX (texts), text);

  if (item->unread)
    g_string_append (line, _("Unread"));
  if (item->case_number != NULL || item->case_id != NULL)
    {
      if (line->len > 0)
        g_string_append (line, " · ");
      g_string_append (line, item->case_number != NULL ? item->case_number : _("Case not synced yet"));
    }
  if (line->len > 0)
    g_string_append (line, " · ");
  g_string_append (line, age);
  details = gtk_label_new (line->str);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_box_append (GTK_BOX (texts), details);

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
update_count (SdNotificationsButton *self)
{
  g_autofree char *name = NULL;
  g_autofree char *badge = NULL;

  if (self->n_unread == 0)
    name = g_strdup (_("Notifications"));
  else
    name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unread notification",
                                         "%u unread notifications", self->n_unread),
                            self->n_unread);
  badge = self->n_unread > 99 ? g_strdup ("99+") : g_strdup_printf ("%u", self->n_unread);
  gtk_label_set_label (self->badge_label, badge);
  gtk_widget_set_visible (GTK_WIDGET (self->badge_label), self->n_unread > 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mark_all_button), self->n_unread > 0);
}

/* The rows, with their ages as of now. */
static void
fill_list (SdNotificationsButton *self)
{
  GtkWidget *child;
  guint shown = sd_notifications_button_get_n_items (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < shown; i++)
    gtk_list_box_append (self->list_box, create_row (g_ptr_array_index (self->items, i)));
  gtk_stack_set_visible_child_name (self->stack, shown > 0 ? "list" : "empty");
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SdNotificationsButton *self = SD_NOTIFICATIONS_BUTTON (object);
  g_autoptr(GError) error = NULL;
  Listing *listing = g_task_propagate_pointer (G_TASK (result), &error);

  if (listing == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the notifications: %s", error->message);
      return;
    }
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_steal_pointer (&listing->items);
  self->n_unread = listing->n_unread;
  listing_free (listing);

  fill_list (self);
  update_count (self);
}

static void
reload (SdNotificationsButton *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, listed_cb, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, list_in_thread);
}

static void
marked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) == 0)
    g_warning ("Could not mark the notification read: %s", error->message);
}

/* Through the outbox, as every edit: the store's "changed" redraws the
 * list and the next sync tells the server. */
static void
mark_read (SdNotificationsButton *self,
           Item                  *item)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) patch = NULL;

  if (!item->unread || self->store == NULL)
    return;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  sd_json_builder_add_time (builder, "read_at", sd_clock_get_now (sd_clock_get_default ()));
  json_builder_end_object (builder);
  patch = json_builder_get_root (builder);
  item->unread = FALSE;
  sd_local_store_enqueue_async (self->store, SD_OUTBOX_OP_UPDATE, "notification", item->id, patch,
                                item->version, NULL, marked_cb, NULL);
}

static void
mark_all_clicked_cb (SdNotificationsButton *self)
{
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    mark_read (self, g_ptr_array_index (self->items, i));
}

static void
row_activated_cb (SdNotificationsButton *self,
                  GtkListBoxRow         *row)
{
  sd_notifications_button_activate_item (self, gtk_list_box_row_get_index (row));
}

/* "Just now" grows older while the popover is closed. */
static void
popover_shown_cb (SdNotificationsButton *self)
{
  fill_list (self);
}

static void
sd_notifications_button_dispose (GObject *object)
{
  SdNotificationsButton *self = SD_NOTIFICATIONS_BUTTON (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store_signals != NULL)
    g_signal_group_set_target (self->store_signals, NULL);
  g_clear_object (&self->store_signals);
  g_clear_object (&self->store);
  /* AdwBin unparents its child, the menu button, and the popover with it. */
  G_OBJECT_CLASS (sd_notifications_button_parent_class)->dispose (object);
}

static void
sd_notifications_button_finalize (GObject *object)
{
  SdNotificationsButton *self = SD_NOTIFICATIONS_BUTTON (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  G_OBJECT_CLASS (sd_notifications_button_parent_class)->finalize (object);
}

static void
sd_notifications_button_class_init (SdNotificationsButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_notifications_button_dispose;
  object_class->finalize = sd_notifications_button_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-notifications-button.ui");
  gtk_widget_class_bind_template_child (widget_class, SdNotificationsButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SdNotificationsButton, badge_label);
  gtk_widget_class_bind_template_child (widget_class, SdNotificationsButton, popover);
  gtk_widget_class_bind_template_child (widget_class, SdNotificationsButton, mark_all_button);
  gtk_widget_class_bind_template_child (widget_class, SdNotificationsButton, stack);
  gtk_widget_class_bind_template_child (widget_class, SdNotificationsButton, list_box);
  gtk_widget_class_bind_template_callback (widget_class, mark_all_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_shown_cb);
}

static void
sd_notifications_button_init (SdNotificationsButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->store_signals = g_signal_group_new (SD_TYPE_LOCAL_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  update_count (self);
}

void
sd_notifications_button_set_store (SdNotificationsButton *self,
                                   SdLocalStore          *store)
{
  g_return_if_fail (SD_IS_NOTIFICATIONS_BUTTON (self));
  g_return_if_fail (store == NULL || SD_IS_LOCAL_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  g_signal_group_set_target (self->store_signals, store);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->n_unread = 0;
  update_count (self);
  fill_list (self);
  gtk_widget_set_visible (GTK_WIDGET (self), store != NULL);
  reload (self);
}

guint
sd_notifications_button_get_n_unread (SdNotificationsButton *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATIONS_BUTTON (self), 0);
  return self->n_unread;
}

guint
sd_notifications_button_get_n_items (SdNotificationsButton *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATIONS_BUTTON (self), 0);
  return self->items != NULL ? MIN (self->items->len, MAX_SHOWN) : 0;
}

gboolean
sd_notifications_button_activate_item (SdNotificationsButton *self,
                                       guint                  index)
{
  GtkRoot *root;
  Item *item;

  g_return_val_if_fail (SD_IS_NOTIFICATIONS_BUTTON (self), FALSE);

  if (index >= sd_notifications_button_get_n_items (self))
    return FALSE;
  item = g_ptr_array_index (self->items, index);
  gtk_popover_popdown (self->popover);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (item->case_id != NULL && SD_IS_WINDOW (root))
    sd_window_open_case (SD_WINDOW (root), item->case_id);
  mark_read (self, item);
  return TRUE;
}
