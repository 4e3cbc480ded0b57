/* sd-sign-in-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sign-in-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-application.h"
#include "sd-sign-in-dialog.h"

struct _SdSignInDialog
{
  AdwWindow     parent_instance;

  GCancellable *cancellable;  /* owned, cancelled when the dialog goes */

  /* template children */
  AdwEntryRow  *server_row;
  AdwEntryRow  *login_row;
  AdwEntryRow  *password_row;
  GtkSwitch    *remember_switch;
  GtkLabel     *error_label;
  GtkButton    *sign_in_button;
  GtkSpinner   *spinner;
  GtkStack     *pages;
  AdwPreferencesGroup *password_group;
  GtkWidget    *current_row;
  GtkWidget    *new_row;
  GtkWidget    *confirm_row;
  GtkLabel     *password_error_label;

  /* The new-password page: the account signed in with a temporary
   * password (not the application's until the password is changed), or
   * the signed-in account whose password changes. */
  SdAccount    *account;           /* owned, nullable */
  char         *current_password;  /* owned, nullable: the one just typed */
  gboolean      changing;          /* from the menu: the current one is asked */
};

G_DEFINE_FINAL_TYPE (SdSignInDialog, sd_sign_in_dialog, ADW_TYPE_WINDOW)

static void
set_busy (SdSignInDialog *self,
          gboolean        busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (self->current_row, !busy);
  gtk_widget_set_sensitive (self->new_row, !busy);
  gtk_widget_set_sensitive (self->confirm_row, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
show_error (SdSignInDialog *self,
            const char     *message,
            GtkWidget      *focus)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
}

/* What went wrong, in the user's words, and where to look. */
static void
explain_error (SdSignInDialog *self,
               const GError   *error)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  g_autofree char *message = NULL;
  GtkWidget *focus = GTK_WIDGET (self->server_row);

  if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_BAD_URL))
    message = g_strdup (_("This is not a server address. It looks like https://desk.example.com"));
  else if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_NETWORK)
           || g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_TIMEOUT))
    message = g_strdup_printf (_("Cannot reach %s. Check the address and your connection."), server);
  else if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_TLS))
    message = g_strdup_printf (_("The connection to %s is not secure: %s"), server, error->message);
  else if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_UNAUTHORIZED))
    {
      message = g_strdup (_("Wrong login or password."));
      focus = GTK_WIDGET (self->password_row);
    }
  else if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_THROTTLED))
    message = g_strdup_printf (_("Too many attempts. Try again in %u seconds."),
                               MAX (sd_rest_error_get_retry_after (error), 1));
  else
    message = g_strdup (error->message);

  show_error (self, message, focus);
}

/* ------------------------------------------------------- new password */

static gboolean
on_password_page (SdSignInDialog *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "password") == 0;
}

static const char *
current_password (SdSignInDialog *self)
{
  return self->changing ? gtk_editable_get_text (GTK_EDITABLE (self->current_row)) : self->current_password;
}

/* What keeps the new password from being sent, or NULL; @row is where. */
static const char *
new_password_problem (SdSignInDialog  *self,
                      GtkWidget      **row)
{
  const char *current = current_password (self);
  const char *new_password = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  const char *again = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));

  *row = NULL;
  if (self->changing && (current == NULL || *current == '\0'))
    return _("Enter your current password.");
  *row = self->new_row;
  if (*new_password == '\0')
    return _("Choose a new password.");
  if (strlen (new_password) < 8)
    return _("The new password needs at least 8 characters.");
  if (g_strcmp0 (new_password, current) == 0)
    return _("The new password must differ from the current one.");
  *row = self->confirm_row;
  if (!g_str_equal (new_password, again))
    return _("The two new passwords differ.");
  *row = NULL;
  return NULL;
}

static void
new_password_changed_cb (SdSignInDialog *self)
{
  GtkWidget *row = NULL;
  const char *problem = new_password_problem (self, &row);
  const char *again = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  /* An empty second field is not an error yet: it is still to be typed. */
  gboolean show = problem != NULL && !(row == self->confirm_row && *again == '\0')
                  && *gtk_editable_get_text (GTK_EDITABLE (self->new_row)) != '\0';

  gtk_widget_remove_css_class (self->new_row, "error");
  gtk_widget_remove_css_class (self->confirm_row, "error");
  if (show && row != NULL)
    gtk_widget_add_css_class (row, "error");
  gtk_label_set_label (self->password_error_label, show ? problem : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->password_error_label), show);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), problem == NULL);
}

static void
show_password_page (SdSignInDialog *self)
{
  gtk_stack_set_visible_child_name (self->pages, "password");
  gtk_window_set_title (GTK_WINDOW (self), self->changing ? _("Change Password") : _("Choose a New Password"));
  gtk_button_set_label (self->sign_in_button, self->changing ? _("C_hange") : _("C_ontinue"));
  if (self->changing)
    {
      adw_preferences_group_set_title (self->password_group, _("Change Password"));
      adw_preferences_group_set_description (self->password_group, _("At least 8 characters."));
      gtk_widget_set_visible (self->current_row, TRUE);
    }
  new_password_changed_cb (self);
  gtk_widget_grab_focus (self->changing ? self->current_row : self->new_row);
}

static void
finish_sign_in (SdSignInDialog *self)
{
  GApplication *app = g_application_get_default ();

  if (SD_IS_APPLICATION (app))
    sd_application_set_account (SD_APPLICATION (app), self->account);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
password_changed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SdSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent;

  if (!sd_rest_client_change_password_finish (SD_REST_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      gtk_label_set_label (self->password_error_label,
                           g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_FORBIDDEN)
                           ? _("The current password is wrong.") : error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->password_error_label), TRUE);
      gtk_widget_grab_focus (self->changing ? self->current_row : self->new_row);
      return;
    }
  if (!self->changing)
    {
      finish_sign_in (self);
      return;
    }
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.toast", "s", _("Password changed"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
change_password (SdSignInDialog *self)
{
  GtkWidget *row;

  if (new_password_problem (self, &row) != NULL || self->account == NULL
      || sd_account_get_client (self->account) == NULL)
    return;
  set_busy (self, TRUE);
  sd_rest_client_change_password_async (sd_account_get_client (self->account), current_password (self),
                                        gtk_editable_get_text (GTK_EDITABLE (self->new_row)), self->cancellable,
                                        password_changed_cb, g_object_ref (self));
}

/* ------------------------------------------------------------ sign in */

/* A password an admin reset must be changed before anything else. */
static void
me_answered_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SdSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUser) me = sd_rest_client_me_finish (SD_REST_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if ((me != NULL && sd_user_get_must_change_password (me))
      || g_strcmp0 (sd_rest_error_get_problem_type (error), "urn:supportdesk:problem:password-change-required") == 0)
    show_password_page (self);
  else
    finish_sign_in (self);
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SdSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdAccount) account = g_task_get_source_tag (G_TASK (result)) == sd_account_connect_async
    ? sd_account_connect_finish (SD_ACCOUNT (object), result, &error)
    : sd_account_sign_in_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (account == NULL)
    {
      set_busy (self, FALSE);
      explain_error (self, error);
      return;
    }
  g_set_object (&self->account, account);
  g_free (self->current_password);
  self->current_password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  sd_rest_client_me_async (sd_account_get_client (account), self->cancellable, me_answered_cb, g_object_ref (self));
}

static void
sign_in_clicked_cb (SdSignInDialog *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  GApplication *app;
  SdAccount *current;

  if (on_password_page (self))
    {
      change_password (self);
      return;
    }
  if (*server == '\0')
    {
      show_error (self, _("Enter the address of your team’s server."), GTK_WIDGET (self->server_row));
      return;
    }
  if (*login == '\0')
    {
      show_error (self, _("Enter your login."), GTK_WIDGET (self->login_row));
      return;
    }
  if (*password == '\0')
    {
      show_error (self, _("Enter your password."), GTK_WIDGET (self->password_row));
      return;
    }

  show_error (self, NULL, NULL);
  set_busy (self, TRUE);
  app = g_application_get_default ();
  current = SD_IS_APPLICATION (app) ? sd_application_get_account (SD_APPLICATION (app)) : NULL;
  /* A local workspace is connected: its changes go to the server. */
  if (current != NULL && sd_account_is_local (current))
    sd_account_connect_async (current, server, login, password, gtk_switch_get_active (self->remember_switch),
                              FALSE, self->cancellable, signed_in_cb, g_object_ref (self));
  else
    sd_account_sign_in_async (server, login, password, gtk_switch_get_active (self->remember_switch),
                              FALSE, self->cancellable, signed_in_cb, g_object_ref (self));
}

static void
sd_sign_in_dialog_dispose (GObject *object)
{
  SdSignInDialog *self = SD_SIGN_IN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SIGN_IN_DIALOG);

  G_OBJECT_CLASS (sd_sign_in_dialog_parent_class)->dispose (object);
}

static void
sd_sign_in_dialog_finalize (GObject *object)
{
  SdSignInDialog *self = SD_SIGN_IN_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->account);
  if (self->current_password != NULL)
    memset (self->current_password, 0, strlen (self->current_password));
  g_clear_pointer (&self->current_password, g_free);

  G_OBJECT_CLASS (sd_sign_in_dialog_parent_class)->finalize (object);
}

static void
sd_sign_in_dialog_class_init (SdSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_sign_in_dialog_dispose;
  object_class->finalize = sd_sign_in_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, login_row);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, pages);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, password_group);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, current_row);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, new_row);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, SdSignInDialog, password_error_label);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_password_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* libadwaita 1.2's password row leaves its peek button without a name:
 * a screen reader would say "button" only. */
static void
name_peek_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Show Password"), -1);
      name_peek_button (child);
    }
}

static void
sd_sign_in_dialog_init (SdSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  name_peek_button (GTK_WIDGET (self->password_row));
  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->sign_in_button));
}

SdSignInDialog *
sd_sign_in_dialog_new (GtkWindow *parent)
{
  return g_object_new (SD_TYPE_SIGN_IN_DIALOG,
                       "transient-for", parent,
                       NULL);
}

void
sd_sign_in_dialog_set_fields (SdSignInDialog *self,
                              const char     *server,
                              const char     *login,
                              const char     *password)
{
  g_return_if_fail (SD_IS_SIGN_IN_DIALOG (self));

  if (server != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  if (login != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
  if (password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
}

const char *
sd_sign_in_dialog_get_error (SdSignInDialog *self)
{
  g_return_val_if_fail (SD_IS_SIGN_IN_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_label (self->error_label) : NULL;
}

void
sd_sign_in_dialog_submit (SdSignInDialog *self)
{
  g_return_if_fail (SD_IS_SIGN_IN_DIALOG (self));
  sign_in_clicked_cb (self);
}

/**
 * sd_sign_in_dialog_new_change_password:
 *
 * The same dialog, for the signed-in @account to change its password
 * (the current one, and the new one twice).
 */
SdSignInDialog *
sd_sign_in_dialog_new_change_password (GtkWindow *parent,
                                       SdAccount *account)
{
  SdSignInDialog *self = sd_sign_in_dialog_new (parent);

  g_return_val_if_fail (SD_IS_ACCOUNT (account), self);

  self->account = g_object_ref (account);
  self->changing = TRUE;
  show_password_page (self);
  return self;
}

gboolean
sd_sign_in_dialog_is_choosing_password (SdSignInDialog *self)
{
  g_return_val_if_fail (SD_IS_SIGN_IN_DIALOG (self), FALSE);
  return on_password_page (self);
}

void
sd_sign_in_dialog_set_new_password (SdSignInDialog *self,
                                    const char     *current,
                                    const char     *new_password,
                                    const char     *again)
{
  g_return_if_fail (SD_IS_SIGN_IN_DIALOG (self));

  if (current != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->current_row), current);
  if (new_password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->new_row), new_password);
  if (again != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), again);
}

const char *
sd_sign_in_dialog_get_password_error (SdSignInDialog *self)
{
  g_return_val_if_fail (SD_IS_SIGN_IN_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->password_error_label))
         ? gtk_label_get_label (self->password_error_label) : NULL;
}

gboolean
sd_sign_in_dialog_can_submit (SdSignInDialog *self)
{
  g_return_val_if_fail (SD_IS_SIGN_IN_DIALOG (self), FALSE);
  return gtk_widget_get_sensitive (GTK_WIDGET (self->sign_in_button));
}
