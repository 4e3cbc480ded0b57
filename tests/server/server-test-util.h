/* server-test-util.h — start supportdesk-server on a free port and talk
 * HTTP to it, shared by the server test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <sd-model.h>

typedef struct {
  GSubprocess *process;
  char        *base;      /* http://127.0.0.1:PORT/api/v1 */
  char        *db;
  gboolean     https;
} Server;

typedef struct {
  guint       status;
  char       *body;
  JsonNode   *json;
  SoupMessageHeaders *headers;
} Reply;

/* The test's temporary directory (set by main) and, when set, the local
 * address clients bind to. */
extern char       *tmpdir;
extern const char *local_address;
/* When set, servers start with this RLIMIT_NOFILE (soft and hard). */
extern guint       server_fd_limit;
/* When set, servers write their standard error (the request log) here. */
extern const char *server_stderr_path;
/* When set, servers hold the pages they build at this gate
 * (SUPPORTDESK_TEST_PAGE_GATE, see docs/security.md). */
extern const char *server_page_gate;
/* When set, NULL-terminated arguments every server starts with. */
extern const char * const *server_extra_args;

void reply_free (Reply *reply);
const char *server_binary (void);
/* A new database for one server: an SQLite file in tmpdir or, when the
 * run sets SUPPORTDESK_TEST_DB to a PostgreSQL cluster's URI (database
 * "postgres"; tests/server/with-postgresql.sh does), a new database in
 * that cluster. */
char *new_db_path (void);
/* The PostgreSQL cluster of this run, or NULL when it runs on SQLite. */
const char *test_db_cluster (void);
/* SQL on either kind of database, beside the store (a test's
 * inspection or tampering): TRUE when it succeeds. */
gboolean db_exec (const char *db, const char *sql);
/* The first column of the first row of @sql, as an integer. */
gint64 db_query_int (const char *db, const char *sql);
void server_start_on (Server *server, const char *db, const char *extra);
Server *server_start (const char *extra);
void server_stop (Server *server, int signal);
void server_free (Server *server);
Reply *request_full (Server *server, const char *method, const char *path, const char *token, const char * const *headers, const char *content_type, const char *body, gssize body_length);
Reply *request (Server *server, const char *method, const char *path, const char *token, const char *body);
/* A PATCH with If-Match: "@version". */
Reply *request_patch (Server *server, const char *path, const char *token, gint64 version, const char *body);
JsonObject *reply_object (Reply *reply);
void assert_problem (Reply *reply, guint status, const char *field);
void assert_status (Reply *reply, guint status);
char *sign_in (Server *server, const char *login, const char *password);
char *render_text_cb (gint64 version, gint64 updated_at, gpointer user_data, GError **error);
void seed_two_tams (const char *db, char **tam_a, char **tam_b);
Server *server_start_seeded (const char *db, char **tam_a, char **tam_b);
/* seed_two_tams() plus an admin ("admin" / "password-admin") and a duty
 * manager who covers no customer ("dm" / "password-dm"), then starts. */
Server *server_start_seeded_with_staff (const char *db, char **tam_a);
char *case_body (const char *customer_id, int severity, gint64 reported_at);
gint64 now_s (void);
/* Today in @zone, as a Julian day. */
guint32 today_in (const char *zone);
/* seed_two_tams(): cust-a's contract ends this many days after today. */
#define SEEDED_CONTRACT_DAYS 120
const char *member_string (Reply *reply, const char *name);
/* Waits (polling, within a generous deadline) until @path exists. */
void wait_for_file (const char *path);

/* g_test_init() and a fresh tmpdir; then g_test_run(), removing it. */
void server_test_init (int *argc, char ***argv);
int server_test_run (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)
