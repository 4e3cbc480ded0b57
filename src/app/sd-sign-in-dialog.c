/* sd-sign-in-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sign-in-dialog"

#include "config.h"

#include <glib/gi18n.h>

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
  GApplication *app;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (account == NULL)
    {
      explain_error (self, error);
      return;
    }

  app = g_application_get_default ();
  if (SD_IS_APPLICATION (app))
    sd_application_set_account (SD_APPLICATION (app), account);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
sign_in_clicked_cb (SdSignInDialog *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  GApplication *app;
  SdAccount *current;

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
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);

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
