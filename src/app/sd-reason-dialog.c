/* sd-reason-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-reason-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-reason-dialog.h"
#include "sd-sla-text.h"

struct _SdReasonDialog
{
  AdwMessageDialog parent_instance;

  /* template children */
  GtkWidget *entry;
};

G_DEFINE_FINAL_TYPE (SdReasonDialog, sd_reason_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
entry_changed_cb (SdReasonDialog *self)
{
  g_autofree char *reason = sd_reason_dialog_dup_reason (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), SD_REASON_DIALOG_CONFIRM, *reason != '\0');
}

static void
sd_reason_dialog_class_init (SdReasonDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-reason-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdReasonDialog, entry);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
}

static void
sd_reason_dialog_init (SdReasonDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static SdReasonDialog *
reason_dialog_new (GtkWindow  *parent,
                   const char *heading,
                   const char *body,
                   const char *placeholder,
                   const char *confirm)
{
  SdReasonDialog *self = g_object_new (SD_TYPE_REASON_DIALOG,
                                       "transient-for", parent,
                                       "heading", heading,
                                       "body", body,
                                       NULL);

  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), placeholder);
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), SD_REASON_DIALOG_CONFIRM, confirm);
  return self;
}

SdReasonDialog *
sd_reason_dialog_new_for_severity (GtkWindow *parent,
                                   int        from,
                                   int        to)
{
  g_autofree char *from_text = sd_severity_pill_text (from);
  g_autofree char *to_text = sd_severity_pill_text (to);
  /* Translators: the severity changes from one level to another */
  g_autofree char *body = g_strdup_printf (_("From %s to %s. The reason goes on the case’s timeline."),
                                           from_text, to_text);

  return reason_dialog_new (parent, _("Change Severity?"), body, _("Why the severity changes"),
                            _("C_hange Severity"));
}

SdReasonDialog *
sd_reason_dialog_new_for_status (GtkWindow    *parent,
                                 SdCaseStatus  from,
                                 SdCaseStatus  to)
{
  /* Translators: a move into a status that pauses the SLA clock, e.g. "From In Progress to Waiting for Customer" */
  g_autofree char *body = g_strdup_printf (_("From %s to %s. This stops the SLA clock, so the reason "
                                             "goes on the case’s timeline."),
                                           sd_case_status_get_label (from), sd_case_status_get_label (to));

  return reason_dialog_new (parent, _("Change Status?"), body, _("What the case waits for"),
                            _("C_hange Status"));
}

char *
sd_reason_dialog_dup_reason (SdReasonDialog *self)
{
  g_return_val_if_fail (SD_IS_REASON_DIALOG (self), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
}

void
sd_reason_dialog_set_reason (SdReasonDialog *self,
                             const char     *text)
{
  g_return_if_fail (SD_IS_REASON_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}
