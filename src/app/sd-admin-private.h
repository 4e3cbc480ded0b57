/* sd-admin-private.h — what the Administration pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

G_BEGIN_DECLS

/* The local view of what the pages show, read in a worker thread. */
typedef struct {
  GPtrArray  *customers;  /* SdCustomer, by name */
  GPtrArray  *users;      /* SdUser, by display name */
  GPtrArray  *contacts;   /* SdContact */
  GHashTable *calendars;  /* id → name (owned strings) */
  GHashTable *open_cases; /* customer id → GUINT_TO_POINTER (open cases) */
  GHashTable *assigned;   /* user id → GUINT_TO_POINTER (open cases assigned) */
} SdAdminData;

void         sd_admin_data_free        (SdAdminData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdAdminData, sd_admin_data_free)

/* The signed-in account; NULL when none. */
SdAccount   *_sd_admin_account         (void);
/* Whether the server can be reached now; else @why (translated, for a
 * tooltip) says why not. */
gboolean     _sd_admin_is_online       (const char  **why);
/* Reads the local view of @account's store in a worker thread. */
void         _sd_admin_load_async      (SdAccount            *account,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
SdAdminData *_sd_admin_load_finish     (GAsyncResult         *result,
                                        GError              **error);
SdUser      *_sd_admin_find_user       (SdAdminData          *data,
                                        const char           *id);
/* Keeps a page's SdAdminData current: reads it now, when the signed-in
 * account changes and whenever its store changes, and hands each new
 * one (owned) to @loaded. Freed in the page's dispose. */
typedef void (*SdAdminLoadedFunc) (GtkWidget   *page,
                                   SdAdminData *data);
typedef struct _SdAdminWatch SdAdminWatch;

SdAdminWatch *_sd_admin_watch_new      (GtkWidget            *page,
                                        SdAdminLoadedFunc     loaded);
void         _sd_admin_watch_free      (SdAdminWatch         *watch);

/* A role's name, translated. */
const char  *_sd_admin_role_label      (SdRole                role);

G_END_DECLS
