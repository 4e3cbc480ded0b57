/* sd-server-private.h — what the files of SdServer share
 *
 * SdServer is one class split by concern, as gnome-text-editor splits a
 * large class: this header holds the instance struct, the request being
 * answered and the functions the files call across.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sd-model.h>

#include "sd-deliverer.h"
#include "sd-listener.h"
#include "sd-mailer.h"
#include "sd-clock.h"
#include "sd-scheduler.h"
#include "sd-server.h"
#include "sd-throttle.h"

G_BEGIN_DECLS

#define API_PREFIX          "/api/v1"
#define DEFAULT_MAX_BODY    (1024 * 1024)
#define DEFAULT_PAGE        100
#define MAX_PAGE            1000
#define MAX_FEED_PAGE       5000   /* the change feed's: fewer round trips in a first sync */
#define MAX_PAGE_BYTES      (4 * 1024 * 1024)  /* a page ends early past this… */
#define PAGE_TIME_BUDGET    (20 * 1000)        /* …or after this many µs of work… */
#define PAGE_MIN_ITEMS      100                /* …once it has this many items */
#define PAGE_CHUNK          128                /* records read from the store at a time */
#define MAX_TITLE           300                /* characters */
#define MAX_DESCRIPTION     20000
#define MAX_COMMENT         20000
#define TOKEN_LIFETIME      (30 * 24 * 3600)
#define THROTTLE_FAILURES   5      /* sign-in attempts per login and address… */
#define THROTTLE_WINDOW     60     /* …in this many seconds */
#define THROTTLE_ENTRIES    10000  /* logins and addresses remembered at once */
#define MAX_LOGIN           256    /* bytes */
#define MAX_PASSWORD        1024   /* bytes */
#define MAX_PASSWORD_CHECKS 4      /* argon2id runs at once, 64 MiB each */
#define MAX_READERS         2      /* threads that build pages, each with a connection */
#define AUDIT_SESSION_CHARS  12  /* hex digits of the token's hash that name a session */

struct _SdServer
{
  GObject     parent_instance;

  SdStore    *store;        /* owned */
  SoupServer *soup;         /* owned */
  SdListener *listener;     /* owned */
  gsize       max_body;
  SdThrottle *attempts;     /* sign-ins per login and address */
  guint       checking;     /* password checks running */
  GHashTable *calendars;    /* "id:version" → SdCalendar, for the main thread */
  GThreadPool *builders;    /* owned; NULL: pages are built on the main loop */
  GAsyncQueue *readers;     /* owned: idle Reader, each used by one thread at a time */
  GThreadPool *bulk;        /* owned, one thread; NULL: bulk writes run on the main loop */
  SdStore     *bulk_store;  /* owned: the bulk thread's own connection, which writes */
  char        *test_gate;   /* SUPPORTDESK_TEST_PAGE_GATE, for tests only */
  SdMailer    *mailer;      /* owned, nullable: no --smtp, no mail */
  SdDeliverer *deliverer;   /* owned: the delivery queue's sender */
  gboolean     test_clock;  /* --test-clock: POST /test/clock moves sd_server_now() */
  SdScheduler *scheduler;   /* owned: escalations when clocks cross their thresholds */
};

/* An answer built off the main loop, applied to the message on it. */
typedef struct {
  guint      status;
  char      *content_type;
  char      *body;
  gsize      length;   /* of body; 0: up to its NUL */
  GPtrArray *headers;  /* char *: name, value, name, value, … */
} SdReply;

typedef struct {
  SdServer          *server;     /* borrowed */
  SoupServerMessage *msg;        /* borrowed; NULL off the main loop */
  SdStore           *store;      /* borrowed: where reads go (a reader's off the main loop) */
  GHashTable        *calendars;  /* borrowed: this thread's calendar cache */
  SdReply           *reply;      /* borrowed; set off the main loop: the answer goes here */
  const gint        *gone;       /* borrowed, atomic, may be NULL: the client went away */
  GPtrArray         *params;     /* char *, the {placeholders} */
  GHashTable        *query;      /* borrowed, may be NULL */
  JsonNode          *body;       /* borrowed, may be NULL: off the main loop, the body read on it */
  gboolean           gzip;       /* the client accepts a gzip-coded answer */
  char              *user_id;
  char              *session;    /* a prefix of the token's hash, for the audit log */
  SdUser            *user;
  gboolean           visible_loaded;
  GStrv              visible;    /* NULL: every customer */
  GHashTable        *contexts;   /* customer id → SlaContext, for this request */
} SdRequest;

/* What the SLA engine needs to know about a customer. */
typedef struct {
  SdCustomer  *customer;
  GPtrArray   *policies;  /* SdSlaPolicy: sd_sla_policy_pick() chooses per case */
  SdCalendar  *calendar;
  gint64       calendar_version;  /* of the stored calendar; 0: not stored */
} SlaContext;

typedef void (*SdHandler) (SdRequest *req);

typedef struct _Render Render;

typedef JsonNode *(*Encoder) (Render *render, gint64 version, gint64 updated_at, GError **error);

struct _Render {
  GObject *object;
  Encoder  encode;
  SdStore *store;
};

/* sd-server-http.c */
void
_sd_request_set_header (SdRequest  *req,
                        const char *name,
                        const char *value);

void
_sd_respond_json (SdRequest *req,
                  guint      status,
                  char      *json);  /* (transfer full) */

/* _sd_respond_json(), gzip-coded when the client accepts it and the
 * answer is large enough to gain from it. */
void
_sd_respond_json_coded (SdRequest *req,
                        guint      status,
                        GString   *json);  /* (transfer full) */

void
_sd_respond_node (SdRequest *req,
                  guint      status,
                  JsonNode  *node);

void
_sd_respond_problem (SdRequest  *req,
                     guint       status,
                     const char *slug,
                     const char *title,
                     const char *detail,
                     const char *field);

void
_sd_respond_invalid (SdRequest    *req,
                     const GError *error);

void
_sd_respond_not_found (SdRequest *req);

void
_sd_respond_store_error (SdRequest    *req,
                         const GError *error);

void
_sd_respond_retry_later (SdRequest  *req,
                         guint       status,
                         gint64      seconds,
                         const char *slug,
                         const char *title);

JsonObject *
_sd_read_body (SdRequest  *req,
               JsonNode  **root);

const char *
_sd_query_get (SdRequest  *req,
               const char *name);

gboolean
_sd_query_get_int (SdRequest  *req,
                   const char *name,
                   gint64      min,
                   gint64      max,
                   gint64      fallback,
                   gint64     *out);

gint64
_sd_request_if_match (SdRequest *req);

void
_sd_set_etag (SdRequest *req,
              gint64     version);

void
_sd_start_builders (SdServer *self);

void
_sd_request_started_cb (SoupServer        *soup,
                        SoupServerMessage *msg,
                        gpointer           user_data);

void
_sd_early_handler_cb (SoupServer        *soup,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data);

void
_sd_handler_cb (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data);

/* sd-server-auth.c */
gboolean
_sd_role_sees_everything (SdRole role);

gboolean
_sd_customer_is_visible_to (SdCustomer *customer,
                            const char *user_id);

const char * const *
_sd_request_visible (SdRequest *req);

gboolean
_sd_request_may_see (SdRequest  *req,
                     const char *customer_id);

SdStoreRecord *
_sd_request_get_visible (SdRequest  *req,
                         const char *kind,
                         const char *id);

void
_sd_handle_sign_in (SdRequest *req);

void
_sd_handle_sign_out (SdRequest *req);

gboolean
_sd_authenticate (SdRequest *req);

void
_sd_handle_me (SdRequest *req);

/* sd-server-sla.c */
/* The customer's calendar as stored now; @version (may be NULL) gets the
 * stored record's version, 0 for a calendar that is not stored. */
SdCalendar *
_sd_load_calendar (SdRequest  *req,
                   SdCustomer *customer,
                   gint64     *version);

SdCustomer *
_sd_load_customer (SdRequest  *req,
                   const char *id);

GPtrArray *
_sd_load_events (SdRequest  *req,
                 const char *case_id);

/* Whether @status stops the clocks of @customer_id's cases: a pausing
 * status of the customer's policy. */
gboolean
_sd_status_pauses (SdRequest    *req,
                   const char   *customer_id,
                   SdCaseStatus  status);

char *
_sd_record_to_client (SdRequest     *req,
                      SdStoreRecord *record);

/* The entity as the change feed carries it: the stored canonical JSON as
 * is (a case's "sla" is null: clients compute the clocks of their own
 * copies), another user in the limited view. */
char *
_sd_record_to_feed (SdRequest     *req,
                    SdStoreRecord *record);

/* The SLA ledger of a case as it stood before a write: its stored record
 * with the breaches its timeline showed a quarter hour ago; NULL for a
 * new case. Pass it to _sd_sla_record_write() once the write is done, in
 * the same transaction. */
GArray *
_sd_sla_record_before (SdRequest  *req,
                       const char *case_id);

void
_sd_handle_get_sla_record (SdRequest *req);

gboolean
_sd_sla_record_write (SdRequest   *req,
                      const char  *case_id,
                      GArray      *prior,
                      GError     **error);

/* sd-server-entities.c */
gboolean
_sd_page_is_full (SdRequest *req,
                  GString   *json,
                  guint      n,
                  gint64     started);

void
_sd_hold_for_test (SdRequest *req);

void
_sd_respond_page (SdRequest    *req,
                  const char   *kind,
                  SdStoreQuery *query,
                  guint         limit);

void
_sd_list_kind (SdRequest           *req,
               const char          *kind,
               gboolean             scoped,
               const SdStoreFilter *filters,
               guint                n_filters);

void
_sd_get_kind (SdRequest  *req,
              const char *kind);

gboolean
_sd_add_filter (SdRequest     *req,
                SdStoreFilter *filters,
                guint         *n,
                const char    *param,
                const char    *path,
                gboolean     (*valid) (const char *));

void
_sd_handle_list_customers (SdRequest *req);

void
_sd_handle_get_customer (SdRequest *req);

void
_sd_handle_list_users (SdRequest *req);

void
_sd_handle_get_user (SdRequest *req);

void
_sd_handle_list_calendars (SdRequest *req);

void
_sd_handle_get_calendar (SdRequest *req);

/* sd-server-calendars.c */
void _sd_handle_create_calendar  (SdRequest *req);
void _sd_handle_update_calendar  (SdRequest *req);
void _sd_handle_archive_calendar (SdRequest *req);
void _sd_handle_import_calendar  (SdRequest *req);
void _sd_handle_calendar_days    (SdRequest *req);
void _sd_seed_calendars          (SdStore   *store);

void
_sd_handle_list_policies (SdRequest *req);

void
_sd_handle_get_policy (SdRequest *req);

void
_sd_handle_list_templates (SdRequest *req);

void
_sd_handle_get_template (SdRequest *req);

char *
_sd_render_cb (gint64     version,
               gint64     updated_at,
               gpointer   user_data,
               GError   **error);

gboolean
_sd_request_idempotency (SdRequest  *req,
                         char      **out);

void
_sd_respond_created (SdRequest     *req,
                     SdStoreRecord *record,
                     const char    *location);

void
_sd_respond_conflict (SdRequest     *req,
                      SdStoreRecord *current);

gboolean
_sd_check_customer_field (SdRequest  *req,
                          const char *path,
                          const char *customer_id);

gboolean
_sd_check_text_length (const char  *text,
                       const char  *path,
                       const char  *field,
                       glong        max,
                       GError     **error);

void
_sd_handle_create_case (SdRequest *req);

void
_sd_handle_create_health_check (SdRequest *req);

void
_sd_handle_update_user (SdRequest *req);

JsonObject *
_sd_patch_begin (SdRequest      *req,
                 const char     *kind,
                 gint64         *expected,
                 SdStoreRecord **record,
                 JsonNode      **root);

void
_sd_update_entity (SdRequest     *req,
                   SdStoreRecord *record,
                   gint64         expected,
                   GObject       *entity,
                   Encoder        encode,
                   GPtrArray     *events);

/* sd-server-duty.c */
/* Who answers any customer, as @store has users, the rota, customers and
 * calendars now (for work outside a request, e.g. a scheduler). */
SdCoverage *_sd_coverage_from_store      (SdStore     *store);
/* Who answers: users, the rota, calendars and @customer_id (NULL: every
 * customer), as the store has them. */
SdCoverage *_sd_load_coverage            (SdRequest   *req,
                                          const char  *customer_id);
/* The ids of the TAMs who named @user_id their deputy (a set). */
GHashTable *_sd_tams_deputised_by        (SdStore     *store,
                                          const char  *user_id);
gboolean    _sd_is_deputy_for            (SdStore     *store,
                                          SdCustomer  *customer,
                                          const char  *user_id);
/* A user's deputy is an active user, their calendar exists. */
gboolean    _sd_check_user_coverage      (SdStore     *store,
                                          SdUser      *user,
                                          const char  *path,
                                          GError     **error);
/* Assigns a new case without an assignee to whoever answers its customer
 * now, adding to @events the timeline entry that says why. */
void        _sd_route_new_case           (SdRequest   *req,
                                          SdCase      *kase,
                                          GPtrArray   *events);
void        _sd_handle_cases_handled_while_away (SdRequest *req);
void        _sd_handle_list_duty_shifts  (SdRequest   *req);
void        _sd_handle_get_duty_shift    (SdRequest   *req);
void        _sd_handle_create_duty_shift (SdRequest   *req);
void        _sd_handle_update_duty_shift (SdRequest   *req);
void        _sd_handle_delete_duty_shift (SdRequest   *req);
/* sd-server-daily.c */
void
_sd_handle_send_daily_report (SdRequest *req);
/* More writes in the transaction of an update, once the entity is
 * written: FALSE with @error undoes them all. */
typedef gboolean (*SdAfterWrite) (SdRequest  *req,
                                  gpointer    user_data,
                                  GError    **error);

void
_sd_update_entity_then (SdRequest     *req,
                        SdStoreRecord *record,
                        gint64         expected,
                        GObject       *entity,
                        Encoder        encode,
                        GPtrArray     *events,
                        SdAfterWrite   after,
                        gpointer       user_data);

/* sd-server-cases.c */
SdStoreRecord *
_sd_append_event (SdRequest    *req,
                  SdCaseEvent  *event,
                  const char   *customer_id,
                  const char   *idempotency,
                  GError      **error);

JsonNode *
_sd_encode_case (Render *render, gint64 version, gint64 updated_at, GError **error);

void
_sd_handle_list_cases (SdRequest *req);

void
_sd_handle_get_case (SdRequest *req);

gboolean
_sd_check_case (SdRequest  *req,
                GObject    *entity,
                GError    **error);

gboolean
_sd_prepare_case (SdRequest   *req,
                  JsonObject  *object,
                  GError     **error);

gboolean
_sd_case_created_events (SdRequest   *req,
                         GObject     *entity,
                         JsonObject  *body,
                         GPtrArray   *events,
                         GError     **error);

void
_sd_handle_update_case (SdRequest *req);

void
_sd_handle_list_events (SdRequest *req);

void
_sd_handle_get_event (SdRequest *req);

void
_sd_handle_append_event (SdRequest *req);

/* sd-server-health-checks.c */
JsonNode *
_sd_encode_health_check (Render *render, gint64 version, gint64 updated_at, GError **error);

gboolean
_sd_check_health_check (SdRequest  *req,
                        GObject    *entity,
                        GError    **error);

gboolean
_sd_prepare_health_check (SdRequest   *req,
                          JsonObject  *object,
                          GError     **error);

void
_sd_handle_list_health_checks (SdRequest *req);

void
_sd_handle_get_health_check (SdRequest *req);

void
_sd_handle_update_health_check (SdRequest *req);

void
_sd_handle_delete_health_check (SdRequest *req);

void
_sd_handle_list_items (SdRequest *req);

void
_sd_handle_update_item (SdRequest *req);

/* sd-server-admin.c */
void
_sd_handle_create_customer (SdRequest *req);

void
_sd_handle_update_customer (SdRequest *req);

void
_sd_handle_list_contacts (SdRequest *req);

void
_sd_handle_get_contact (SdRequest *req);

void
_sd_handle_create_contact (SdRequest *req);

void
_sd_handle_update_contact (SdRequest *req);

void
_sd_handle_create_user (SdRequest *req);

void
_sd_handle_reset_password (SdRequest *req);

void
_sd_handle_change_password (SdRequest *req);

void
_sd_handle_reassign (SdRequest *req);

void
_sd_handle_import (SdRequest *req);

void
_sd_handle_create_policy (SdRequest *req);

void
_sd_admin_search (SdRequest  *req,
                  const char *kind,
                  const char *q);

/* sd-server-audit.c */
SdStoreActor *
_sd_request_actor (SdRequest *req);

void
_sd_request_audit_begin (SdRequest *req);

void
_sd_request_audit_end (SdRequest *req);

void
_sd_handle_audit (SdRequest *req);

/* sd-server-deliveries.c */
void
_sd_handle_list_deliveries (SdRequest *req);

void
_sd_handle_test_delivery (SdRequest *req);

void
_sd_handle_test_clock (SdRequest *req);

/* sd-server-sla.c: the response clock of @kase at @now with the one SLA
 * engine, and when a running clock will be at risk (*warning_at,
 * SD_TIME_NONE when it is not running or is at risk already). FALSE when
 * the customer or its policy is missing. */
gboolean
_sd_case_clock (SdRequest    *req,
                SdCase       *kase,
                gint64        now,
                SdSlaResult  *result,
                gint64       *warning_at);

/* sd-scheduler.c: who hears of escalation step @step (0 at risk, 1
 * breached, 2 breached for 30 minutes) of @kase, as user ids. */
GPtrArray *
_sd_escalation_recipients (SdRequest *req,
                           SdCase    *kase,
                           int        step);

/* sd-server-notifications.c */
/* Writes a notification for @recipient_id and queues its mail (to the
 * user's address, when there is a relay) and webhooks, in one
 * transaction. @id: NULL for a new one; an id that exists fails with
 * SD_STORE_ERROR_EXISTS and writes nothing (it was sent before). */
gboolean
_sd_server_notify (SdServer            *self,
                   const char          *id,
                   const char          *recipient_id,
                   const char          *case_id,
                   SdNotificationKind   kind,
                   const char          *text,
                   char               **out_id,
                   GError             **error);

void
_sd_handle_update_notification (SdRequest *req);

/* sd-server-changes.c */
/* A change feed record of this kind tells one user (its parent_id) that
 * they no longer see a customer: the client drops the customer and all
 * that belongs to it. Only that user's feed carries it. */
#define SD_ACCESS_KIND "access"

gboolean
_sd_customer_access_changed (SdStore     *store,
                             SdCustomer  *before,
                             SdCustomer  *after,
                             GError     **error);

void
_sd_handle_changes (SdRequest *req);

G_END_DECLS
