/* sd-admin-customer-editor.h — Administration: one customer, new or
 * edited, with its contacts; a subpage of the Administration window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-admin-private.h"

G_BEGIN_DECLS

#define SD_TYPE_ADMIN_CUSTOMER_EDITOR (sd_admin_customer_editor_get_type ())

G_DECLARE_FINAL_TYPE (SdAdminCustomerEditor, sd_admin_customer_editor, SD, ADMIN_CUSTOMER_EDITOR, GtkBox)

/* @customer: NULL for a new customer. @data is borrowed only during
 * the call. */
GtkWidget *sd_admin_customer_editor_new          (SdCustomer   *customer,
                                                  SdAdminData  *data);
/* The problems the form has now, one a line; NULL when it can be saved. */
char      *sd_admin_customer_editor_get_problems (SdAdminCustomerEditor *self);
/* What the server answered last (a refused archive), or NULL. */
const char *sd_admin_customer_editor_get_status  (SdAdminCustomerEditor *self);

G_END_DECLS
