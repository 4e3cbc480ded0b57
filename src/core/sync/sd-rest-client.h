/* sd-rest-client.h — the asynchronous client of the SupportDesk REST API
 *
 * Every network call is asynchronous in the GIO style and fails with an
 * error in the SD_REST_ERROR domain (or G_IO_ERROR_CANCELLED). The error
 * carries what the sync engine needs to decide what to do next: the HTTP
 * status, the problem document's type and field, the seconds to wait
 * before the next attempt, and on a version conflict the entity as the
 * server has it now.
 *
 * A client belongs to the thread-default main context it was created in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sd-user.h"

G_BEGIN_DECLS

#define SD_REST_ERROR (sd_rest_error_quark ())

typedef enum {
  SD_REST_ERROR_NETWORK,                /* unreachable, refused, DNS, connection lost */
  SD_REST_ERROR_TIMEOUT,                /* no answer within the timeout */
  SD_REST_ERROR_TLS,                    /* certificate or handshake problem */
  SD_REST_ERROR_UNAUTHORIZED,           /* 401: wrong login or password, or a dead token */
  SD_REST_ERROR_FORBIDDEN,              /* 403 */
  SD_REST_ERROR_NOT_FOUND,              /* 404 */
  SD_REST_ERROR_CONFLICT,               /* 412: the entity has another version */
  SD_REST_ERROR_PRECONDITION_REQUIRED,  /* 428 */
  SD_REST_ERROR_INVALID,                /* 400, 405, 413, 415, 422 and other 4xx */
  SD_REST_ERROR_EXISTS,                 /* 409: id exists, or idempotency key used */
  SD_REST_ERROR_RESYNC,                 /* 409 on the change feed: start again from 0 */
  SD_REST_ERROR_THROTTLED,              /* 429, or 503 with Retry-After */
  SD_REST_ERROR_SERVER,                 /* 5xx */
  SD_REST_ERROR_PROTOCOL,               /* an answer that breaks the contract */
  SD_REST_ERROR_BAD_URL,                /* the base URL is not an http(s) server URL */
} SdRestError;

GQuark      sd_rest_error_quark              (void);

/* Whether the same request may succeed later: network, timeout,
 * throttled, server and protocol errors. FALSE for any other error. */
gboolean    sd_rest_error_is_retryable       (const GError *error);
/* Seconds from Retry-After (0 when the server sent none). */
guint       sd_rest_error_get_retry_after    (const GError *error);
/* The HTTP status, or 0 when no answer arrived. */
guint       sd_rest_error_get_status         (const GError *error);
/* From the problem document; NULL when absent. Borrowed. */
const char *sd_rest_error_get_problem_type   (const GError *error);
const char *sd_rest_error_get_field          (const GError *error);
/* On SD_REST_ERROR_CONFLICT, the entity as the server has it now. Borrowed. */
JsonNode   *sd_rest_error_get_current_entity (const GError *error);

#define SD_TYPE_REST_CLIENT (sd_rest_client_get_type ())

G_DECLARE_FINAL_TYPE (SdRestClient, sd_rest_client, SD, REST_CLIENT, GObject)

/* @base_url: "https://host:port" (a trailing "/api/v1" is accepted).
 * Fails with SD_REST_ERROR_BAD_URL. */
SdRestClient *sd_rest_client_new                 (const char          *base_url,
                                                  const char          *token,
                                                  GError             **error);

const char   *sd_rest_client_get_base_url        (SdRestClient        *self);
const char   *sd_rest_client_get_host            (SdRestClient        *self);
const char   *sd_rest_client_get_token           (SdRestClient        *self);
void          sd_rest_client_set_token           (SdRestClient        *self,
                                                  const char          *token);
guint         sd_rest_client_get_timeout         (SdRestClient        *self);
void          sd_rest_client_set_timeout         (SdRestClient        *self,
                                                  guint                seconds);
/* Seconds the keep-alive connections stay open once no request runs
 * (default 60). */
guint         sd_rest_client_get_idle_timeout    (SdRestClient        *self);
void          sd_rest_client_set_idle_timeout    (SdRestClient        *self,
                                                  guint                seconds);
/* Closes the idle keep-alive connections (the next request opens a new
 * one); requests on their way finish undisturbed. For a resume from
 * suspend, when the peer has long dropped them. */
void          sd_rest_client_reset_connections   (SdRestClient        *self);
gboolean      sd_rest_client_get_accept_invalid_certificate (SdRestClient *self);
void          sd_rest_client_set_accept_invalid_certificate (SdRestClient *self,
                                                             gboolean      accept);

/* POST /auth/token. On success the client uses the new token. @user may
 * be NULL when the server sends none. @expires_at: Unix seconds. */
void          sd_rest_client_sign_in_async       (SdRestClient        *self,
                                                  const char          *login,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      sd_rest_client_sign_in_finish      (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  char               **token,
                                                  gint64              *expires_at,
                                                  SdUser             **user,
                                                  GError             **error);

/* DELETE /auth/token. On success the client forgets its token. */
void          sd_rest_client_sign_out_async      (SdRestClient        *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      sd_rest_client_sign_out_finish     (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* GET /me */
void          sd_rest_client_me_async            (SdRestClient        *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
SdUser       *sd_rest_client_me_finish           (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* GET /changes?after=&limit= (@limit 0: the server's default). Returns
 * the page {changes, next, has_more}, every change checked for its shape;
 * anything else is SD_REST_ERROR_PROTOCOL. */
void          sd_rest_client_changes_async       (SdRestClient        *self,
                                                  gint64               after,
                                                  guint                limit,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode     *sd_rest_client_changes_finish      (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* POST @path ("/cases", "/health-checks") with @body and, unless NULL,
 * the Idempotency-Key @idempotency_key. Returns the created entity. */
void          sd_rest_client_create_async        (SdRestClient        *self,
                                                  const char          *path,
                                                  JsonNode            *body,
                                                  const char          *idempotency_key,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode     *sd_rest_client_create_finish       (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* PATCH @path ("/cases/ID") with the merge patch @patch and
 * If-Match: "@base_version". Returns the updated entity; on
 * SD_REST_ERROR_CONFLICT see sd_rest_error_get_current_entity(). */
void          sd_rest_client_update_async        (SdRestClient        *self,
                                                  const char          *path,
                                                  JsonNode            *patch,
                                                  gint64               base_version,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode     *sd_rest_client_update_finish       (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* GET @path ("/calendars/ID"): the entity, and in @version the version
 * of its ETag (0 when the answer has none). */
void          sd_rest_client_get_async           (SdRestClient        *self,
                                                  const char          *path,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode     *sd_rest_client_get_finish          (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  gint64              *version,
                                                  GError             **error);

/* POST /calendars/@calendar_id/import: @data, an iCalendar file
 * ("text/calendar") or holiday JSON ("application/json"), with
 * If-Match: "@base_version". Returns the calendar's new version. */
void          sd_rest_client_import_calendar_async  (SdRestClient        *self,
                                                     const char          *calendar_id,
                                                     GBytes              *data,
                                                     const char          *content_type,
                                                     gint64               base_version,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
JsonNode     *sd_rest_client_import_calendar_finish (SdRestClient        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* DELETE @path ("/calendars/ID": archives it) with If-Match:
 * "@base_version". The server's refusal (a calendar in use, a built-in
 * one) is the error, with the problem's detail as its message. */
void          sd_rest_client_delete_async        (SdRestClient        *self,
                                                  const char          *path,
                                                  gint64               base_version,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      sd_rest_client_delete_finish       (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* POST /cases/@case_id/events. Returns the created event. */
void          sd_rest_client_append_event_async  (SdRestClient        *self,
                                                  const char          *case_id,
                                                  JsonNode            *body,
                                                  const char          *idempotency_key,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode     *sd_rest_client_append_event_finish (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* GET /audit?entity=@kind/@id&cursor=@cursor&limit=@limit: a page of the
 * audit log of one entity, oldest first (admins and duty managers; others
 * get SD_REST_ERROR_FORBIDDEN). @cursor: NULL for the first page, else
 * the page's "next_cursor"; @limit 0: the server's default. Returns the
 * page {items, next_cursor}, each item checked for its seq, at, action,
 * kind and entity_id; anything else is SD_REST_ERROR_PROTOCOL. */
void          sd_rest_client_audit_async         (SdRestClient        *self,
                                                  const char          *kind,
                                                  const char          *id,
                                                  const char          *cursor,
                                                  guint                limit,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode     *sd_rest_client_audit_finish        (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* POST @path (an administration action: "/users/ID/reassign",
 * "/import/customers", "/users/ID/password-reset", "/me/password") with
 * @body, answered 200. Returns the answer's JSON object. */
void          sd_rest_client_post_action_async   (SdRestClient        *self,
                                                  const char          *path,
                                                  JsonNode            *body,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode     *sd_rest_client_post_action_finish  (SdRestClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* POST /me/password: the signed-in user's own password, with the
 * current one (a temporary one after a reset). A wrong current password
 * is SD_REST_ERROR_FORBIDDEN. */
void          sd_rest_client_change_password_async  (SdRestClient        *self,
                                                     const char          *current_password,
                                                     const char          *new_password,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean      sd_rest_client_change_password_finish (SdRestClient        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
