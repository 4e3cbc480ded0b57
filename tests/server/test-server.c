/* test-server.c — the real supportdesk-server over loopback
 *
 * Each test starts the server binary on a free port with a fresh SQLite
 * database and talks HTTP to it with libsoup, as any client would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <sd-model.h>

#include "sd-server.h"
#include "sd-store-open.h"
#include "server-test-util.h"

/* Puts @customer into the database at @db (the server not running). */
static void
seed_customer (const char *db,
               SdCustomer *customer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open_db (db, TRUE, &error);
  g_autoptr(JsonNode) node = sd_customer_to_json (customer);
  g_autofree char *text = sd_json_to_string (node, FALSE);
  g_autoptr(SdStoreRecord) record = NULL;

  g_assert_no_error (error);
  record = sd_store_put (store, "customer", sd_customer_get_id (customer),
                         sd_customer_get_id (customer), NULL, 0, NULL, render_text_cb, text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
}

/* Everything but sign-in needs a valid bearer token. */
static void
test_auth_required (void)
{
  g_autoptr(Server) server = server_start (NULL);

  for (const SdServerRoute *route = sd_server_get_routes (); route->method; route++)
    {
      g_autoptr(GRegex) placeholder = g_regex_new ("\\{[a-z_]+\\}", 0, 0, NULL);
      g_autofree char *path = g_regex_replace_literal (placeholder, route->path, -1, 0, "x", 0, NULL);
      g_autoptr(Reply) anonymous = NULL;
      g_autoptr(Reply) forged = NULL;

      if (g_str_equal (route->method, "POST") && g_str_equal (route->path, "/auth/token"))
        continue;
      anonymous = request (server, route->method, path, NULL, "{}");
      assert_problem (anonymous, 401, NULL);
      g_assert_nonnull (soup_message_headers_get_one (anonymous->headers, "WWW-Authenticate"));
      forged = request (server, route->method, path, "forged-token", "{}");
      assert_problem (forged, 401, NULL);
    }
}

static void
test_sign_in_and_out (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) unknown = NULL;
  g_autoptr(Reply) me = NULL;
  g_autoptr(Reply) out = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(Reply) missing = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);

  wrong = request (server, "POST", "/auth/token", NULL, "{\"login\":\"tam.a\",\"password\":\"nope\"}");
  assert_problem (wrong, 401, NULL);
  unknown = request (server, "POST", "/auth/token", NULL, "{\"login\":\"nobody\",\"password\":\"nope\"}");
  assert_problem (unknown, 401, NULL);
  missing = request (server, "POST", "/auth/token", NULL, "{\"login\":\"tam.a\"}");
  assert_problem (missing, 400, "password");

  token = sign_in (server, "tam.a", "password-a");
  g_assert_cmpuint (strlen (token), >=, 40);
  me = request (server, "GET", "/me", token, NULL);
  assert_status (me, 200);
  g_assert_cmpstr (member_string (me, "id"), ==, tam_a);
  g_assert_cmpstr (member_string (me, "login"), ==, "tam.a");

  out = request (server, "DELETE", "/auth/token", token, NULL);
  assert_status (out, 204);
  after = request (server, "GET", "/me", token, NULL);
  assert_problem (after, 401, NULL);
}

static void
test_sign_in_throttled (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autoptr(Reply) blocked = NULL;
  g_autoptr(Reply) blocked_right = NULL;
  g_autofree char *other = NULL;
  gint64 retry;

  server = server_start_seeded (db, &tam_a, &tam_b);

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(Reply) wrong = request (server, "POST", "/auth/token", NULL,
                                        "{\"login\":\"tam.a\",\"password\":\"guess\"}");
      assert_problem (wrong, 401, NULL);
    }
  blocked = request (server, "POST", "/auth/token", NULL, "{\"login\":\"tam.a\",\"password\":\"guess\"}");
  assert_problem (blocked, 429, NULL);
  g_assert_nonnull (soup_message_headers_get_one (blocked->headers, "Retry-After"));
  retry = g_ascii_strtoll (soup_message_headers_get_one (blocked->headers, "Retry-After"), NULL, 10);
  g_assert_cmpint (retry, >=, 1);
  g_assert_cmpint (retry, <=, 60);
  /* Even the right password waits: guessing gains nothing. */
  blocked_right = request (server, "POST", "/auth/token", NULL, "{\"login\":\"tam.a\",\"password\":\"password-a\"}");
  assert_problem (blocked_right, 429, NULL);
  /* Another login is not affected. */
  other = sign_in (server, "tam.b", "password-b");
  g_assert_nonnull (other);
  /* Nor is the same login from another address: a stranger cannot lock
   * the owner out. */
  local_address = "127.0.0.2";
  {
    g_autofree char *elsewhere = sign_in (server, "tam.a", "password-a");
    g_assert_nonnull (elsewhere);
  }
  local_address = NULL;
}

static void
test_isolation (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token_a = NULL, *token_b = NULL;
  g_autofree char *body = case_body ("cust-a", 2, now_s () - 600);
  g_autofree char *foreign = case_body ("cust-a", 3, now_s ());
  g_autofree char *path = NULL;
  g_autofree char *events = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) own = NULL;
  g_autoptr(Reply) other = NULL;
  g_autoptr(Reply) other_events = NULL;
  g_autoptr(Reply) other_patch = NULL;
  g_autoptr(Reply) list_b = NULL;
  g_autoptr(Reply) customers_b = NULL;
  g_autoptr(Reply) feed_b = NULL;
  g_autoptr(Reply) create_b = NULL;
  const char *id;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token_a = sign_in (server, "tam.a", "password-a");
  token_b = sign_in (server, "tam.b", "password-b");

  created = request (server, "POST", "/cases", token_a, body);
  assert_status (created, 201);
  id = member_string (created, "id");
  path = g_strconcat ("/cases/", id, NULL);
  events = g_strconcat (path, "/events", NULL);

  own = request (server, "GET", path, token_a, NULL);
  assert_status (own, 200);

  /* Another customer's case does not exist for TAM B. */
  other = request (server, "GET", path, token_b, NULL);
  assert_problem (other, 404, NULL);
  other_events = request (server, "GET", events, token_b, NULL);
  assert_problem (other_events, 404, NULL);
  other_patch = request_full (server, "PATCH", path, token_b, (const char *[]) { "If-Match", "\"1\"", NULL },
                              NULL, "{\"status\":\"in_progress\"}", -1);
  assert_problem (other_patch, 404, NULL);
  create_b = request (server, "POST", "/cases", token_b, foreign);
  assert_problem (create_b, 400, "case.customer_id");

  list_b = request (server, "GET", "/cases", token_b, NULL);
  assert_status (list_b, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (list_b), "items")), ==, 0);
  customers_b = request (server, "GET", "/customers", token_b, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (customers_b), "items")), ==, 1);
  g_assert_null (strstr (customers_b->body, "cust-a"));
  feed_b = request (server, "GET", "/changes?limit=1000", token_b, NULL);
  assert_status (feed_b, 200);
  g_assert_null (strstr (feed_b->body, id));
  g_assert_null (strstr (feed_b->body, "cust-a"));
  /* Other users are seen without their login. */
  g_assert_null (strstr (feed_b->body, "tam.a"));
}

static void
test_idempotent_create (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = case_body ("cust-a", 3, now_s ());
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *key2 = g_uuid_string_random ();
  const char *headers[] = { "Idempotency-Key", key, NULL };
  const char *headers2[] = { "Idempotency-Key", key2, NULL };
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) retry = NULL;
  g_autoptr(Reply) other = NULL;
  g_autoptr(Reply) list = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  first = request_full (server, "POST", "/cases", token, headers, NULL, body, -1);
  assert_status (first, 201);
  retry = request_full (server, "POST", "/cases", token, headers, NULL, body, -1);
  assert_status (retry, 201);
  g_assert_cmpstr (member_string (first, "id"), ==, member_string (retry, "id"));
  g_assert_cmpstr (member_string (first, "number"), ==, member_string (retry, "number"));
  g_assert_nonnull (soup_message_headers_get_one (retry->headers, "Location"));

  other = request_full (server, "POST", "/cases", token, headers2, NULL, body, -1);
  assert_status (other, 201);
  g_assert_cmpstr (member_string (first, "id"), !=, member_string (other, "id"));

  list = request (server, "GET", "/cases", token, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (list), "items")), ==, 2);
}

static void
test_if_match (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = case_body ("cust-a", 3, now_s () - 3600);
  g_autofree char *path = NULL;
  g_autofree char *events_path = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) no_match = NULL;
  g_autoptr(Reply) bad_match = NULL;
  g_autoptr(Reply) updated = NULL;
  g_autoptr(Reply) stale = NULL;
  g_autoptr(Reply) events = NULL;
  g_autoptr(Reply) immutable = NULL;
  g_autoptr(Reply) merge_patch = NULL;
  g_autoptr(Reply) text_patch = NULL;
  g_autoptr(Reply) merge_post = NULL;
  JsonArray *items;
  gboolean found_status = FALSE, found_severity = FALSE;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  created = request (server, "POST", "/cases", token, body);
  assert_status (created, 201);
  g_assert_cmpstr (soup_message_headers_get_one (created->headers, "ETag"), ==, "\"1\"");
  path = g_strconcat ("/cases/", member_string (created, "id"), NULL);
  events_path = g_strconcat (path, "/events", NULL);

  no_match = request (server, "PATCH", path, token, "{\"status\":\"in_progress\"}");
  assert_problem (no_match, 428, NULL);
  bad_match = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "yesterday", NULL },
                            NULL, "{\"status\":\"in_progress\"}", -1);
  assert_problem (bad_match, 400, "If-Match");

  updated = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"1\"", NULL },
                          NULL, "{\"status\":\"in_progress\",\"severity\":2,\"reason\":\"Production is down\"}", -1);
  assert_status (updated, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (updated), "version"), ==, 2);
  g_assert_cmpstr (member_string (updated, "status"), ==, "in_progress");
  g_assert_cmpstr (soup_message_headers_get_one (updated->headers, "ETag"), ==, "\"2\"");

  /* Someone who edited version 1 is told, and gets the current case. */
  stale = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"1\"", NULL },
                        NULL, "{\"title\":\"A stale edit\"}", -1);
  assert_status (stale, 412);
  g_assert_cmpint (json_object_get_int_member (reply_object (stale), "version"), ==, 2);
  g_assert_cmpstr (member_string (stale, "title"), ==, "代理离线 — agents offline");

  immutable = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"2\"", NULL },
                            NULL, "{\"customer_id\":\"cust-b\"}", -1);
  assert_problem (immutable, 400, "case.customer_id");

  /* A merge patch may say so in its media type (RFC 7396); other types
   * stay refused. */
  merge_patch = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"2\"", NULL },
                              "application/merge-patch+json", "{\"title\":\"Agents offline after update\"}", -1);
  assert_status (merge_patch, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (merge_patch), "version"), ==, 3);
  g_assert_cmpstr (member_string (merge_patch, "title"), ==, "Agents offline after update");
  text_patch = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"3\"", NULL },
                             "text/plain", "{\"title\":\"Plain text\"}", -1);
  assert_problem (text_patch, 415, NULL);
  merge_post = request_full (server, "POST", "/cases", token, NULL, "application/merge-patch+json", body, -1);
  assert_problem (merge_post, 415, NULL);

  /* The timeline recorded both changes with the reason. */
  events = request (server, "GET", events_path, token, NULL);
  assert_status (events, 200);
  items = json_object_get_array_member (reply_object (events), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *event = json_array_get_object_element (items, i);
      const char *kind = json_object_get_string_member (event, "kind");

      found_status |= g_str_equal (kind, "status_change");
      if (g_str_equal (kind, "severity_change"))
        {
          g_autofree char *text = sd_json_to_string (json_array_get_element (items, i), FALSE);

          found_severity = TRUE;
          g_assert_nonnull (strstr (text, "Production is down"));
        }
      g_assert_cmpstr (json_object_get_string_member (event, "author_id"), ==, tam_a);
    }
  g_assert_true (found_status);
  g_assert_true (found_severity);
}

typedef struct {
  Server     *server;
  const char *token;
  guint       n;
  GPtrArray  *ids;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;

  for (guint i = 0; i < writer->n; i++)
    {
      g_autofree char *body = case_body ("cust-a", 1 + i % 4, now_s () - 60 * i);
      g_autoptr(Reply) reply = request (writer->server, "POST", "/cases", writer->token, body);

      assert_status (reply, 201);
      g_ptr_array_add (writer->ids, g_strdup (member_string (reply, "id")));
    }
  return NULL;
}

/* Two writers create cases while a reader follows the feed in small
 * pages: every case arrives exactly once, in sequence order. */
static void
test_change_feed (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Writer writers[2];
  GThread *threads[2];
  gint64 cursor = 0, last_seq = 0;
  gboolean writing = TRUE;
  guint pages = 0;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  for (guint i = 0; i < 2; i++)
    {
      writers[i] = (Writer) { server, token, 40, g_ptr_array_new_with_free_func (g_free) };
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT "&limit=7", cursor);
      g_autoptr(Reply) page = request (server, "GET", path, token, NULL);
      JsonObject *object;
      JsonArray *changes;

      assert_status (page, 200);
      object = reply_object (page);
      changes = json_object_get_array_member (object, "changes");
      g_assert_cmpuint (json_array_get_length (changes), <=, 7);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          gint64 seq = json_object_get_int_member (change, "seq");
          const char *kind = json_object_get_string_member (change, "kind");
          g_autofree char *key = g_strconcat (kind, "/", json_object_get_string_member (change, "id"), NULL);

          g_assert_cmpint (seq, >, last_seq);
          last_seq = seq;
          if (g_str_equal (kind, "case"))
            {
              g_assert_false (g_hash_table_contains (seen, key));
              g_hash_table_add (seen, g_steal_pointer (&key));
            }
        }
      g_assert_cmpint (json_object_get_int_member (object, "next"), >=, cursor);
      cursor = json_object_get_int_member (object, "next");
      pages++;
      if (!json_object_get_boolean_member (object, "has_more") && !writing)
        break;
      if (writing && writers[0].ids->len == 40 && writers[1].ids->len == 40)
        {
          g_thread_join (threads[0]);
          g_thread_join (threads[1]);
          writing = FALSE;
        }
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, 80);
  for (guint w = 0; w < 2; w++)
    {
      for (guint i = 0; i < writers[w].ids->len; i++)
        {
          g_autofree char *key = g_strconcat ("case/", (char *) writers[w].ids->pdata[i], NULL);
          g_assert_true (g_hash_table_contains (seen, key));
        }
      g_ptr_array_unref (writers[w].ids);
    }
  g_assert_cmpuint (pages, >, 80 / 7);

  /* Nothing new: one request, nothing in it, the same cursor. */
  {
    g_autofree char *path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT, cursor);
    g_autoptr(Reply) idle = request (server, "GET", path, token, NULL);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (idle), "changes")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (reply_object (idle), "next"), ==, cursor);
    g_assert_false (json_object_get_boolean_member (reply_object (idle), "has_more"));
  }

  /* A deleted health check comes through as a tombstone. */
  {
    g_autoptr(Reply) created = request (server, "POST", "/health-checks", token,
                                        "{\"customer_id\":\"cust-a\",\"status\":\"requested\","
                                        "\"requested_at\":\"2026-11-20T09:00:00+08:00\",\"mode\":\"remote\","
                                        "\"template_id\":\"endpoint-security\",\"template_version\":1,\"items\":[]}");
    g_autofree char *path = NULL;
    g_autofree char *feed_path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT, cursor);
    g_autoptr(Reply) deleted = NULL;
    g_autoptr(Reply) feed = NULL;
    g_autoptr(Reply) gone = NULL;
    JsonArray *changes;
    JsonObject *last;

    assert_status (created, 201);
    path = g_strconcat ("/health-checks/", member_string (created, "id"), NULL);
    deleted = request_full (server, "DELETE", path, token, (const char *[]) { "If-Match", "\"1\"", NULL },
                            NULL, NULL, -1);
    assert_status (deleted, 204);
    gone = request (server, "GET", path, token, NULL);
    assert_problem (gone, 404, NULL);

    feed = request (server, "GET", feed_path, token, NULL);
    changes = json_object_get_array_member (reply_object (feed), "changes");
    g_assert_cmpuint (json_array_get_length (changes), ==, 1);  /* the latest state only */
    last = json_array_get_object_element (changes, 0);
    g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "health_check");
    g_assert_true (json_object_get_boolean_member (last, "deleted"));
    g_assert_true (json_object_get_null_member (last, "entity"));
  }
}

static void
test_paging (void)
{
  g_autoptr(Server) server = server_start ("--demo");
  g_autofree char *token = sign_in (server, "admin", "supportdesk-demo");
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(Reply) zero = NULL;
  g_autoptr(Reply) huge = NULL;
  g_autoptr(Reply) word = NULL;
  g_autoptr(Reply) bad_status = NULL;
  g_autoptr(Reply) critical = NULL;
  JsonArray *items;

  zero = request (server, "GET", "/cases?limit=0", token, NULL);
  assert_problem (zero, 400, "limit");
  huge = request (server, "GET", "/cases?limit=100000", token, NULL);
  assert_problem (huge, 400, "limit");
  word = request (server, "GET", "/changes?after=soon", token, NULL);
  assert_problem (word, 400, "after");
  bad_status = request (server, "GET", "/cases?status=lost", token, NULL);
  assert_problem (bad_status, 400, "status");

  for (;;)
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/cases?limit=64&cursor=%s", cursor)
                                     : g_strdup ("/cases?limit=64");
      g_autoptr(Reply) page = request (server, "GET", path, token, NULL);
      JsonObject *object;

      assert_status (page, 200);
      object = reply_object (page);
      items = json_object_get_array_member (object, "items");
      g_assert_cmpuint (json_array_get_length (items), <=, 64);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          const char *id = json_object_get_string_member (json_array_get_object_element (items, i), "id");

          g_assert_false (g_hash_table_contains (ids, id));
          g_hash_table_add (ids, g_strdup (id));
        }
      g_clear_pointer (&cursor, g_free);
      if (json_object_get_null_member (object, "next_cursor"))
        break;
      cursor = g_strdup (json_object_get_string_member (object, "next_cursor"));
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 300);

  critical = request (server, "GET", "/cases?severity=1&status=new&limit=1000", token, NULL);
  items = json_object_get_array_member (reply_object (critical), "items");
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *kase = json_array_get_object_element (items, i);

      g_assert_cmpint (json_object_get_int_member (kase, "severity"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (kase, "status"), ==, "new");
    }
}

static void
test_bad_input (void)
{
  g_autoptr(Server) server = server_start ("--demo");
  g_autofree char *token = sign_in (server, "li.na", "supportdesk-demo");
  g_autofree char *big = g_malloc (2 * 1024 * 1024 + 1);
  g_autoptr(Reply) malformed = NULL;
  g_autoptr(Reply) wrong_type = NULL;
  g_autoptr(Reply) bad_enum = NULL;
  g_autoptr(Reply) bad_date = NULL;
  g_autoptr(Reply) naive = NULL;
  g_autoptr(Reply) unknown_field = NULL;
  g_autoptr(Reply) utf8 = NULL;
  g_autoptr(Reply) too_big = NULL;
  g_autoptr(Reply) media = NULL;
  g_autoptr(Reply) array = NULL;
  g_autoptr(Reply) no_route = NULL;
  g_autoptr(Reply) method = NULL;
  g_autoptr(Reply) traversal = NULL;
  g_autoptr(Reply) after = NULL;
  g_autofree char *after_path = NULL;
  gint64 next = 0;

  /* Where the change feed ends now (pages may end early). */
  for (gboolean more = TRUE; more;)
    {
      g_autofree char *path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT, next);
      g_autoptr(Reply) page = request (server, "GET", path, token, NULL);

      assert_status (page, 200);
      next = json_object_get_int_member (reply_object (page), "next");
      more = json_object_get_boolean_member (reply_object (page), "has_more");
    }

  malformed = request (server, "POST", "/cases", token, "{\"title\": ");
  assert_problem (malformed, 400, NULL);
  g_assert_nonnull (strstr (malformed->body, "Malformed JSON"));
  wrong_type = request (server, "POST", "/cases", token,
                        "{\"customer_id\":\"cust-pujiang-bank\",\"title\":\"x\",\"type\":\"incident\","
                        "\"severity\":\"high\",\"reported_at\":\"2026-11-20T09:00:00+08:00\",\"reported_via\":\"phone\"}");
  assert_problem (wrong_type, 400, "case.severity");
  bad_enum = request (server, "POST", "/cases", token,
                      "{\"customer_id\":\"cust-pujiang-bank\",\"title\":\"x\",\"type\":\"incident\","
                      "\"severity\":7,\"reported_at\":\"2026-11-20T09:00:00+08:00\",\"reported_via\":\"phone\"}");
  assert_problem (bad_enum, 400, "case.severity");
  bad_date = request (server, "POST", "/cases", token,
                      "{\"customer_id\":\"cust-pujiang-bank\",\"title\":\"x\",\"type\":\"incident\","
                      "\"severity\":2,\"reported_at\":\"2026-02-30T09:00:00+08:00\",\"reported_via\":\"phone\"}");
  assert_problem (bad_date, 400, "case.reported_at");
  naive = request (server, "POST", "/cases", token,
                   "{\"customer_id\":\"cust-pujiang-bank\",\"title\":\"x\",\"type\":\"incident\","
                   "\"severity\":2,\"reported_at\":\"2026-11-20T09:00:00\",\"reported_via\":\"phone\"}");
  assert_problem (naive, 400, "case.reported_at");
  unknown_field = request (server, "POST", "/cases", token,
                           "{\"customer_id\":\"cust-pujiang-bank\",\"title\":\"x\",\"type\":\"incident\","
                           "\"severity\":2,\"reported_at\":\"2026-11-20T09:00:00+08:00\",\"reported_via\":\"phone\","
                           "\"priority\":\"urgent\"}");
  assert_problem (unknown_field, 400, "case.priority");
  utf8 = request_full (server, "POST", "/cases", token, NULL, NULL, "{\"title\":\"\xff\xfe\"}", -1);
  assert_problem (utf8, 400, NULL);
  g_assert_nonnull (strstr (utf8->body, "UTF-8"));
  array = request (server, "POST", "/cases", token, "[1, 2, 3]");
  assert_problem (array, 400, NULL);
  media = request_full (server, "POST", "/cases", token, NULL, "text/plain", "{}", -1);
  assert_problem (media, 415, NULL);

  memset (big, ' ', 2 * 1024 * 1024);
  big[0] = '{';
  big[2 * 1024 * 1024 - 1] = '}';
  big[2 * 1024 * 1024] = '\0';
  too_big = request (server, "POST", "/cases", token, big);
  assert_problem (too_big, 413, NULL);

  no_route = request (server, "GET", "/cases/x/y/z", token, NULL);
  assert_problem (no_route, 404, NULL);
  /* libsoup refuses an encoded path traversal itself. */
  traversal = request (server, "GET", "/cases/..%2F..%2Fetc", token, NULL);
  g_assert_true (traversal->status == 400 || traversal->status == 404);
  method = request (server, "PUT", "/cases", token, "{}");
  assert_problem (method, 405, NULL);
  g_assert_nonnull (strstr (soup_message_headers_get_one (method->headers, "Allow"), "POST"));

  /* None of it was stored. */
  after_path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT, next);
  after = request (server, "GET", after_path, token, NULL);
  assert_status (after, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (after), "changes")), ==, 0);
}

/* Every acknowledged write survives kill -9. */
static void
test_kill_9 (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *body = case_body ("cust-a", 2, now_s () - i);
      g_autoptr(Reply) reply = request (server, "POST", "/cases", token, body);

      assert_status (reply, 201);
      g_ptr_array_add (ids, g_strdup (member_string (reply, "id")));
    }
  server_stop (server, SIGKILL);

  server_start_on (server, db, NULL);
  token2 = sign_in (server, "tam.a", "password-a");
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *path = g_strconcat ("/cases/", (char *) ids->pdata[i], NULL);
      g_autoptr(Reply) reply = request (server, "GET", path, token2, NULL);

      assert_status (reply, 200);
    }
  /* The session made before the crash is still valid too. */
  {
    g_autoptr(Reply) me = request (server, "GET", "/me", token, NULL);
    assert_status (me, 200);
  }
}

static void
test_demo_and_sla (void)
{
  g_autoptr(Server) server = server_start ("--demo");
  g_autofree char *admin = sign_in (server, "admin", "supportdesk-demo");
  g_autofree char *tam = sign_in (server, "li.na", "supportdesk-demo");
  g_autoptr(Reply) customers = request (server, "GET", "/customers", admin, NULL);
  g_autoptr(Reply) checks = request (server, "GET", "/health-checks", admin, NULL);
  g_autoptr(Reply) users = request (server, "GET", "/users", tam, NULL);
  g_autoptr(Reply) policies = request (server, "GET", "/sla-policies", tam, NULL);
  g_autoptr(Reply) calendar = request (server, "GET", "/calendars/cn-mainland", tam, NULL);
  g_autoptr(Reply) template = request (server, "GET", "/checklist-templates/endpoint-security", tam, NULL);
  g_autoptr(Reply) created = NULL;
  g_autofree char *body = NULL;
  g_autofree char *expected_due = NULL;
  const char *states[] = { "requested", "scheduled", "in_progress", "completed", "cancelled" };
  JsonArray *items;
  JsonObject *sla, *response;
  gint64 reported = now_s () - 5 * 60;

  assert_status (customers, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (customers), "items")), ==, 6);
  g_assert_nonnull (strstr (customers->body, "上海浦江银行"));
  g_assert_nonnull (strstr (customers->body, "Europe/Berlin"));
  items = json_object_get_array_member (reply_object (checks), "items");
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_autofree char *needle = g_strdup_printf ("\"status\":\"%s\"", states[s]);
      g_assert_nonnull (strstr (checks->body, needle));
    }
  g_assert_cmpuint (json_array_get_length (items), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (users), "items")), ==, 4);
  g_assert_nonnull (strstr (policies->body, "msa_enterprise"));
  assert_status (calendar, 200);
  g_assert_nonnull (strstr (calendar->body, "Asia/Shanghai"));
  assert_status (template, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (template), "items")), >=, 30);

  /* A severity-1 case reported five minutes ago: 30 minutes around the clock. */
  body = case_body ("cust-pujiang-bank", 1, reported);
  created = request (server, "POST", "/cases", tam, body);
  assert_status (created, 201);
  g_assert_true (g_str_has_prefix (member_string (created, "number"), "SD-"));
  sla = json_object_get_object_member (reply_object (created), "sla");
  g_assert_nonnull (sla);
  response = json_object_get_object_member (sla, "response");
  g_assert_cmpstr (json_object_get_string_member (response, "clock"), ==, "24x7");
  g_assert_cmpstr (json_object_get_string_member (response, "state"), ==, "running");
  expected_due = sd_time_format_iso8601 (reported + 30 * 60, NULL);
  g_assert_cmpstr (json_object_get_string_member (response, "due"), ==, expected_due);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (sla, "daily_report")));
}

static void
test_https (void)
{
  g_autoptr(Server) server = server_start ("--tls");
  g_autoptr(Reply) anonymous = NULL;

  g_assert_true (server->https);
  anonymous = request (server, "GET", "/me", NULL, NULL);
  assert_problem (anonymous, 401, NULL);
}

/* `supportdesk-server user add` reads the password from standard input. */
static void
test_user_add (void)
{
  g_autofree char *db = new_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) add = NULL;
  g_autoptr(GSubprocess) again = NULL;
  g_autoptr(GSubprocess) weak = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(Server) server = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) me = NULL;

  add = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                          &error, server_binary (), "user", "add", "--db", db, "--login", "zhao.min",
                          "--role", "duty_manager", "--name", "赵敏", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (add, "a long passphrase\n", NULL, &out, &err, &error));
  g_assert_true (g_subprocess_get_successful (add));
  g_assert_true (g_uuid_string_is_valid (g_strstrip (out)));
  /* The password is not echoed anywhere. */
  g_assert_null (strstr (err, "passphrase"));

  again = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error, server_binary (), "user", "add", "--db", db, "--login", "zhao.min",
                            "--role", "tam", NULL);
  g_assert_true (g_subprocess_communicate_utf8 (again, "another passphrase\n", NULL, NULL, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (again), ==, 2);
  weak = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, server_binary (), "user", "add", "--db", db, "--login", "short",
                           "--role", "tam", NULL);
  g_assert_true (g_subprocess_communicate_utf8 (weak, "1234\n", NULL, NULL, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (weak), ==, 2);

  server = g_new0 (Server, 1);
  server_start_on (server, db, NULL);
  token = sign_in (server, "zhao.min", "a long passphrase");
  me = request (server, "GET", "/me", token, NULL);
  assert_status (me, 200);
  g_assert_cmpstr (member_string (me, "display_name"), ==, "赵敏");
  g_assert_cmpstr (member_string (me, "role"), ==, "duty_manager");
}

/* The rules a client can trip over when writing a timeline. */
static char *
database_release_body (const char *customer_id)
{
  g_autofree char *when = sd_time_format_iso8601 (now_s () - 600, NULL);

  return g_strdup_printf ("{\"customer_id\":\"%s\",\"title\":\"勒索软件新变种 — new ransomware\","
                          "\"type\":\"database_release\",\"severity\":2,\"reported_at\":\"%s\","
                          "\"reported_via\":\"phone\",\"details\":{\"reason\":\"New ransomware\","
                          "\"urgency\":\"critical\"}}", customer_id, when);
}

/* Database releases on request are part of MSA Enterprise: a standard-tier
 * customer's request is refused naming case.type, as is turning one of its
 * cases into one; a customer entitled on its own gets it. */
static void
test_database_release_tier (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *enterprise = database_release_body ("cust-a");
  g_autofree char *standard = database_release_body ("cust-std");
  g_autofree char *entitled = database_release_body ("cust-std-plus");
  g_autofree char *incident = case_body ("cust-std", 3, now_s () - 600);
  g_autofree char *path = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) granted = NULL;
  g_autoptr(Reply) plain = NULL;
  g_autoptr(Reply) patched = NULL;

  seed_two_tams (db, &tam_a, &tam_b);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SdCustomer) customer = sd_customer_new (i == 0 ? "cust-std" : "cust-std-plus");

      sd_customer_set_name (customer, i == 0 ? "深圳星河精密制造" : "Maple Retail Inc.");
      sd_customer_set_tier (customer, SD_TIER_STANDARD);
      sd_customer_set_time_zone (customer, "Asia/Shanghai");
      sd_customer_set_calendar_id (customer, "cn-mainland");
      sd_customer_set_tam_id (customer, tam_a);
      if (i == 1)
        sd_customer_set_database_release_entitlement (customer, SD_ENTITLEMENT_GRANTED);
      sd_customer_set_version (customer, 1);
      seed_customer (db, customer);
    }
  server_start_on (server, db, NULL);
  token = sign_in (server, "tam.a", "password-a");

  created = request (server, "POST", "/cases", token, enterprise);
  assert_status (created, 201);
  refused = request (server, "POST", "/cases", token, standard);
  assert_problem (refused, 400, "case.type");
  g_assert_nonnull (strstr (json_object_get_string_member (reply_object (refused), "detail"), "MSA Enterprise"));
  granted = request (server, "POST", "/cases", token, entitled);
  assert_status (granted, 201);

  plain = request (server, "POST", "/cases", token, incident);
  assert_status (plain, 201);
  path = g_strconcat ("/cases/", member_string (plain, "id"), NULL);
  patched = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"1\"", NULL },
                          NULL, "{\"type\":\"database_release\",\"details\":{\"reason\":\"x\",\"urgency\":\"high\"}}", -1);
  assert_problem (patched, 400, "case.type");
}

static void
test_timeline_rules (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = case_body ("cust-a", 3, now_s () - 3600);
  g_autofree char *path = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *early = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) no_reason = NULL;
  g_autoptr(Reply) same_id = NULL;
  g_autoptr(Reply) too_early = NULL;
  g_autoptr(Reply) response = NULL;
  g_autoptr(Reply) followed = NULL;
  g_autoptr(Reply) kase = NULL;
  g_autoptr(Reply) ahead = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  created = request (server, "POST", "/cases", token, body);
  assert_status (created, 201);
  path = g_strconcat ("/cases/", member_string (created, "id"), NULL);
  events_path = g_strconcat (path, "/events", NULL);

  /* A severity change says why. */
  no_reason = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"1\"", NULL },
                            NULL, "{\"severity\":1}", -1);
  assert_problem (no_reason, 400, "case.reason");

  /* Sending back identifying members unchanged is fine. */
  {
    g_autofree char *patch = g_strdup_printf ("{\"id\":\"%s\",\"customer_id\":\"cust-a\",\"title\":\"Agents offline\"}",
                                              member_string (created, "id"));
    same_id = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"1\"", NULL },
                            NULL, patch, -1);
    assert_status (same_id, 200);
  }

  /* A response cannot come before the report. */
  {
    g_autofree char *two_hours_ago = sd_time_format_iso8601 (now_s () - 7200, NULL);

    early = g_strdup_printf ("{\"kind\":\"response_given\",\"body\":\"x\",\"at\":\"%s\"}", two_hours_ago);
  }
  too_early = request (server, "POST", events_path, token, early);
  assert_problem (too_early, 400, "event.at");

  /* A response stops the clock; its Location leads to the event. */
  response = request (server, "POST", events_path, token, "{\"kind\":\"response_given\",\"body\":\"Workaround sent\"}");
  assert_status (response, 201);
  followed = request (server, "GET", soup_message_headers_get_one (response->headers, "Location") + strlen ("/api/v1"),
                      token, NULL);
  assert_status (followed, 200);
  g_assert_cmpstr (member_string (followed, "id"), ==, member_string (response, "id"));
  kase = request (server, "GET", path, token, NULL);
  g_assert_false (json_object_get_null_member (reply_object (kase), "responded_at"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (reply_object (kase), "sla"), "response"), "state"), ==, "met");

  /* A cursor beyond the server's sequence asks for a full resync. */
  ahead = request (server, "GET", "/changes?after=999999", token, NULL);
  assert_problem (ahead, 409, "after");
}

static Reply *
patch_case (Server     *server,
            const char *path,
            const char *token,
            gint64      version,
            const char *body)
{
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);

  return request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", etag, NULL }, NULL, body, -1);
}

static gint64
reply_version (Reply *reply)
{
  return json_object_get_int_member (reply_object (reply), "version");
}

/* The record a customer audits: the server's clock is the authority (no
 * time in the future, every event says when it reached the server, late
 * ones are marked backdated), a response cannot move earlier, and the
 * report time changes only with a reason, by a duty manager or an admin. */
static void
test_record_rules (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autofree char *token = NULL, *admin = NULL;
  g_autoptr(Reply) admin_me = NULL;
  gint64 reported = now_s () - 3600;
  g_autofree char *body = case_body ("cust-a", 3, reported);
  g_autofree char *next_year = case_body ("cust-a", 1, now_s () + 366 * 86400);
  g_autofree char *ahead = sd_time_format_iso8601 (now_s () + 5 * 86400, NULL);
  g_autofree char *half_hour_ago = sd_time_format_iso8601 (now_s () - 1800, NULL);
  g_autofree char *ten_minutes_ago = sd_time_format_iso8601 (now_s () - 600, NULL);
  g_autofree char *report_time = sd_time_format_iso8601 (reported, NULL);
  g_autofree char *later_report = sd_time_format_iso8601 (reported + 60, NULL);
  g_autofree char *future_comment = NULL;
  g_autofree char *future_daily = NULL;
  g_autofree char *late_comment = NULL;
  g_autofree char *respond = NULL;
  g_autofree char *backdate_response = NULL;
  g_autofree char *move_report = NULL;
  g_autofree char *move_report_why = NULL;
  g_autofree char *path = NULL;
  g_autofree char *events_path = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) refused_case = NULL;
  g_autoptr(Reply) refused_comment = NULL;
  g_autoptr(Reply) refused_daily = NULL;
  g_autoptr(Reply) late = NULL;
  g_autoptr(Reply) fresh = NULL;
  g_autoptr(Reply) responded = NULL;
  g_autoptr(Reply) backdated = NULL;
  g_autoptr(Reply) removed = NULL;
  g_autoptr(Reply) tam_moves = NULL;
  g_autoptr(Reply) admin_no_reason = NULL;
  g_autoptr(Reply) admin_moves = NULL;
  g_autoptr(Reply) timeline = NULL;
  g_autoptr(Reply) refused_move = NULL;
  g_autofree char *client_move = NULL;
  g_autoptr(SdCaseEvent) moved_event = NULL;
  JsonArray *items;
  g_autoptr(JsonNode) late_node = NULL;
  g_autoptr(JsonNode) fresh_node = NULL;
  g_autoptr(SdCaseEvent) late_event = NULL;
  g_autoptr(SdCaseEvent) fresh_event = NULL;

  server = server_start_seeded_with_staff (db, &tam_a);
  token = sign_in (server, "tam.a", "password-a");
  admin = sign_in (server, "admin", "password-admin");
  admin_me = request (server, "GET", "/me", admin, NULL);
  assert_status (admin_me, 200);

  /* Nothing is reported, answered or sent in the future. */
  refused_case = request (server, "POST", "/cases", token, next_year);
  assert_problem (refused_case, 400, "case.reported_at");
  created = request (server, "POST", "/cases", token, body);
  assert_status (created, 201);
  path = g_strconcat ("/cases/", member_string (created, "id"), NULL);
  events_path = g_strconcat (path, "/events", NULL);
  future_comment = g_strdup_printf ("{\"kind\":\"comment\",\"body\":\"Called the customer\",\"at\":\"%s\"}", ahead);
  refused_comment = request (server, "POST", events_path, token, future_comment);
  assert_problem (refused_comment, 400, "event.at");
  future_daily = g_strdup_printf ("{\"kind\":\"daily_report_sent\",\"at\":\"%s\",\"data\":{\"channel\":\"email\"}}", ahead);
  refused_daily = request (server, "POST", events_path, token, future_daily);
  assert_problem (refused_daily, 400, "event.at");

  /* Offline work keeps its real time, marked when it arrives late. */
  late_comment = g_strdup_printf ("{\"kind\":\"comment\",\"body\":\"Written offline\",\"at\":\"%s\"}", half_hour_ago);
  late = request (server, "POST", events_path, token, late_comment);
  assert_status (late, 201);
  fresh = request (server, "POST", events_path, token, "{\"kind\":\"comment\",\"body\":\"Now\"}");
  assert_status (fresh, 201);
  late_node = json_node_copy (late->json);
  fresh_node = json_node_copy (fresh->json);
  late_event = sd_case_event_from_json (late_node, NULL, NULL);
  fresh_event = sd_case_event_from_json (fresh_node, NULL, NULL);
  g_assert_nonnull (late_event);
  g_assert_nonnull (fresh_event);
  g_assert_cmpint (sd_case_event_get_recorded_at (late_event), >=, now_s () - 300);
  g_assert_true (sd_case_event_is_backdated (late_event));
  g_assert_cmpint (sd_case_event_get_recorded_at (fresh_event), >=, sd_case_event_get_at (fresh_event));
  g_assert_false (sd_case_event_is_backdated (fresh_event));

  /* A response recorded cannot move earlier, nor go away. */
  respond = g_strdup_printf ("{\"responded_at\":\"%s\"}", ten_minutes_ago);
  responded = patch_case (server, path, token, reply_version (created), respond);
  assert_status (responded, 200);
  backdate_response = g_strdup_printf ("{\"responded_at\":\"%s\"}", report_time);
  backdated = patch_case (server, path, token, reply_version (responded), backdate_response);
  assert_problem (backdated, 400, "case.responded_at");
  removed = patch_case (server, path, token, reply_version (responded), "{\"responded_at\":null}");
  assert_problem (removed, 400, "case.responded_at");

  /* The report time: not for a TAM; an admin says why. */
  move_report = g_strdup_printf ("{\"reported_at\":\"%s\"}", later_report);
  tam_moves = patch_case (server, path, token, reply_version (responded), move_report);
  assert_problem (tam_moves, 403, "case.reported_at");
  admin_no_reason = patch_case (server, path, admin, reply_version (responded), move_report);
  assert_problem (admin_no_reason, 400, "case.reason");
  move_report_why = g_strdup_printf ("{\"reported_at\":\"%s\",\"reason\":\"The customer's first mail bounced\"}",
                                     later_report);
  admin_moves = patch_case (server, path, admin, reply_version (responded), move_report_why);
  assert_status (admin_moves, 200);

  /* The timeline says so: from, to and why, by the admin, at the server's
   * time; a client cannot write such an event itself. */
  timeline = request (server, "GET", events_path, token, NULL);
  assert_status (timeline, 200);
  items = json_object_get_array_member (reply_object (timeline), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autoptr(JsonNode) node = json_node_copy (json_array_get_element (items, i));
      g_autoptr(SdCaseEvent) event = sd_case_event_from_json (node, NULL, NULL);

      g_assert_nonnull (event);
      if (sd_case_event_get_kind (event) != SD_EVENT_REPORT_TIME_CHANGE)
        continue;
      g_assert_null (moved_event);
      moved_event = g_steal_pointer (&event);
    }
  g_assert_nonnull (moved_event);
  g_assert_cmpint (sd_case_event_get_report_time_from (moved_event), ==, reported);
  g_assert_cmpint (sd_case_event_get_report_time_to (moved_event), ==, reported + 60);
  g_assert_cmpstr (sd_case_event_get_reason (moved_event), ==, "The customer's first mail bounced");
  g_assert_cmpstr (sd_case_event_get_author_id (moved_event), ==, member_string (admin_me, "id"));
  g_assert_cmpint (sd_case_event_get_at (moved_event), >=, now_s () - 300);
  client_move = g_strdup_printf ("{\"kind\":\"report_time_change\",\"data\":{\"from\":\"%s\",\"to\":\"%s\","
                                 "\"reason\":\"Typed by hand\"}}", later_report, report_time);
  refused_move = request (server, "POST", events_path, admin, client_move);
  assert_problem (refused_move, 400, "event.kind");
}

/* A private patch, released on 2026-07-01, in life-cycle @stage. */
static char *
patch_case_body (const char *when,
                 const char *stage)
{
  return g_strdup_printf ("{\"customer_id\":\"cust-a\",\"title\":\"Blue screen\",\"type\":\"private_patch\","
                          "\"severity\":3,\"reported_at\":\"%s\",\"reported_via\":\"email\","
                          "\"details\":{\"product\":\"Endpoint Security\",\"product_version\":\"10.1\","
                          "\"lifecycle_stage\":\"%s\",\"problem\":\"Blue screen\","
                          "\"patch_id\":\"PP-1\",\"delivered_on\":\"2026-07-01\"}}", when, stage);
}

/* Service requests: a database release records the contract's steps in
 * order; a private patch is released only in a life-cycle stage that
 * allows it. */
static void
test_service_request_rules (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *when = sd_time_format_iso8601 (now_s () - 3600, NULL);
  g_autofree char *release = NULL;
  g_autofree char *patch = NULL;
  g_autofree char *events_path = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) out_of_order = NULL;
  g_autoptr(Reply) unknown = NULL;
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) twice = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(Reply) eol = NULL;
  g_autoptr(Reply) full = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  release = g_strdup_printf ("{\"customer_id\":\"cust-a\",\"title\":\"Ransomware\",\"type\":\"database_release\","
                             "\"severity\":1,\"reported_at\":\"%s\",\"reported_via\":\"phone\","
                             "\"details\":{\"reason\":\"New ransomware\",\"urgency\":\"critical\"}}", when);
  created = request (server, "POST", "/cases", token, release);
  assert_status (created, 201);
  events_path = g_strconcat ("/cases/", member_string (created, "id"), "/events", NULL);
  out_of_order = request (server, "POST", events_path, token,
                          "{\"kind\":\"progress_step\",\"data\":{\"step\":\"fast_update_released\"}}");
  assert_problem (out_of_order, 400, "event.data.step");
  unknown = request (server, "POST", events_path, token,
                     "{\"kind\":\"progress_step\",\"data\":{\"step\":\"patch_delivered\"}}");
  assert_problem (unknown, 400, "event.data.step");
  first = request (server, "POST", events_path, token,
                   "{\"kind\":\"progress_step\",\"data\":{\"step\":\"expert_group_received\"}}");
  assert_status (first, 201);
  twice = request (server, "POST", events_path, token,
                   "{\"kind\":\"progress_step\",\"data\":{\"step\":\"expert_group_received\"}}");
  assert_problem (twice, 400, "event.data.step");
  second = request (server, "POST", events_path, token,
                    "{\"kind\":\"progress_step\",\"data\":{\"step\":\"fast_update_released\"}}");
  assert_status (second, 201);

  patch = patch_case_body (when, "end_of_life");
  eol = request (server, "POST", "/cases", token, patch);
  assert_problem (eol, 400, "case.details.lifecycle_stage");
  g_free (patch);
  patch = patch_case_body (when, "full_support");
  full = request (server, "POST", "/cases", token, patch);
  assert_status (full, 201);
}

/* An Idempotency-Key belongs to one user and one kind of create. */
static void
test_idempotency_scope (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = case_body ("cust-a", 3, now_s ());
  const char *headers[] = { "Idempotency-Key", "4f7d2c1e-0000-4000-8000-000000000001", NULL };
  const char *check = "{\"customer_id\":\"cust-a\",\"status\":\"requested\","
                      "\"requested_at\":\"2026-11-20T09:00:00+08:00\",\"mode\":\"remote\","
                      "\"template_id\":\"endpoint-security\",\"template_version\":1,\"items\":[]}";
  g_autoptr(Reply) kase = NULL;
  g_autoptr(Reply) replay = NULL;
  g_autoptr(Reply) next = NULL;
  g_autoptr(Reply) hc = NULL;
  g_autoptr(Reply) deleted = NULL;
  g_autoptr(Reply) hc_replay = NULL;
  g_autofree char *hc_path = NULL;
  const char *number, *next_number;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  kase = request_full (server, "POST", "/cases", token, headers, NULL, body, -1);
  assert_status (kase, 201);
  replay = request_full (server, "POST", "/cases", token, headers, NULL, body, -1);
  assert_status (replay, 201);
  /* Replays use no case number. */
  next = request (server, "POST", "/cases", token, body);
  number = member_string (kase, "number");
  next_number = member_string (next, "number");
  g_assert_cmpint (g_ascii_strtoll (next_number + 8, NULL, 10), ==, g_ascii_strtoll (number + 8, NULL, 10) + 1);

  /* The same key on another route creates that route's entity. */
  hc = request_full (server, "POST", "/health-checks", token, headers, NULL, check, -1);
  assert_status (hc, 201);
  g_assert_cmpstr (member_string (hc, "customer_id"), ==, "cust-a");
  g_assert_true (json_object_has_member (reply_object (hc), "items"));
  g_assert_cmpstr (member_string (hc, "id"), !=, member_string (kase, "id"));

  /* Replaying a create whose result was deleted says so. */
  hc_path = g_strconcat ("/health-checks/", member_string (hc, "id"), NULL);
  deleted = request_full (server, "DELETE", hc_path, token, (const char *[]) { "If-Match", "\"1\"", NULL }, NULL, NULL, -1);
  assert_status (deleted, 204);
  hc_replay = request_full (server, "POST", "/health-checks", token, headers, NULL, check, -1);
  assert_problem (hc_replay, 409, "Idempotency-Key");
}

static char *
health_check_body (const char *customer_id,
                   const char *requested_at,
                   const char *scheduled_on)
{
  g_autofree char *day = scheduled_on ? g_strdup_printf ("\"%s\"", scheduled_on) : g_strdup ("null");

  return g_strdup_printf ("{\"customer_id\":\"%s\",\"status\":\"%s\",\"requested_at\":\"%s\","
                          "\"scheduled_on\":%s,\"mode\":\"remote\",\"template_id\":\"endpoint-security\","
                          "\"template_version\":1,\"items\":[]}",
                          customer_id, scheduled_on ? "scheduled" : "requested", requested_at, day);
}

/* The first Monday to Friday from @day on. */
static guint32
weekday_from (guint32 day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day);
  while (g_date_get_weekday (&date) == G_DATE_SATURDAY || g_date_get_weekday (&date) == G_DATE_SUNDAY)
    g_date_add_days (&date, 1);
  return g_date_get_julian (&date);
}

/* The first working day of @calendar from @day on: past the end of the
 * published holidays, a weekday may be a statutory holiday (Qingming). */
static guint32
working_day_from (SdCalendar *calendar,
                  guint32     day)
{
  while (!sd_calendar_is_working_day (calendar, day))
    day++;
  return day;
}

static char *
scheduling_patch (guint32 day)
{
  g_autofree char *text = sd_date_format (day);

  return g_strdup_printf ("{\"scheduled_on\":\"%s\"}", text);
}

/* The contract's health-check rules, through the API: the 14-day lead is
 * counted from the day the server receives the scheduling (in the
 * customer's time zone), whatever requested_at says; the day lies inside
 * the contract; one check a contract year; the certificate. Calendar days
 * (holidays, make-up days) are tested on the rule itself in
 * tests/test-health-check.c. */
static void
test_health_check_rules (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token_a = NULL, *token_b = NULL;
  g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin ("cn-mainland");
  guint32 today = today_in ("Asia/Shanghai");
  guint32 ok_day = sd_health_check_get_earliest_day (today, calendar);
  guint32 after_end = working_day_from (calendar, today + SEEDED_CONTRACT_DAYS + 1);
  g_autofree char *requested = sd_time_format_iso8601 (now_s () - 60 * 86400, NULL);
  g_autofree char *short_text = sd_date_format (weekday_from (today + 10));
  g_autofree char *ok_text = sd_date_format (ok_day);
  g_autofree char *short_lead = health_check_body ("cust-a", requested, short_text);
  g_autofree char *accepted_body = health_check_body ("cust-a", requested, ok_text);
  g_autofree char *uncertified = health_check_body ("cust-b", requested, ok_text);
  g_autofree char *too_close = scheduling_patch (weekday_from (today + 10));
  g_autofree char *beyond_contract = scheduling_patch (after_end);
  g_autofree char *path = NULL;
  g_autoptr(Reply) refused_lead = NULL;
  g_autoptr(Reply) accepted = NULL;
  g_autoptr(Reply) moved_too_close = NULL;
  g_autoptr(Reply) moved_beyond = NULL;
  g_autoptr(Reply) notes_edited = NULL;
  g_autoptr(Reply) refused_second = NULL;
  g_autoptr(Reply) refused_certificate = NULL;
  g_autoptr(Reply) cancelled = NULL;
  g_autoptr(Reply) accepted_again = NULL;

  g_assert_cmpuint (ok_day, >=, today + SD_HEALTH_CHECK_MIN_LEAD_DAYS);
  server = server_start_seeded (db, &tam_a, &tam_b);
  token_a = sign_in (server, "tam.a", "password-a");
  token_b = sign_in (server, "tam.b", "password-b");

  /* Requested two months ago (offline, say), scheduled 10 days from now:
   * the lead counts from today, so it is too short, and the answer names
   * the earliest possible day. */
  refused_lead = request (server, "POST", "/health-checks", token_a, short_lead);
  assert_problem (refused_lead, 400, "health_check.scheduled_on");
  g_assert_nonnull (strstr (refused_lead->body, ok_text));

  /* 14 days from today is enough; requested_at stays as the client said. */
  accepted = request (server, "POST", "/health-checks", token_a, accepted_body);
  assert_status (accepted, 201);
  {
    gint64 sent = 0, kept = 0;

    g_assert_true (sd_time_parse_iso8601 (requested, NULL, &sent, NULL));
    g_assert_true (sd_time_parse_iso8601 (member_string (accepted, "requested_at"), NULL, &kept, NULL));
    g_assert_cmpint (kept, ==, sent);
  }
  path = g_strconcat ("/health-checks/", member_string (accepted, "id"), NULL);

  /* Moving the agreed day is checked again, from today; other edits are not. */
  moved_too_close = request_full (server, "PATCH", path, token_a, (const char *[]) { "If-Match", "\"1\"", NULL },
                                  NULL, too_close, -1);
  assert_problem (moved_too_close, 400, "health_check.scheduled_on");
  moved_beyond = request_full (server, "PATCH", path, token_a, (const char *[]) { "If-Match", "\"1\"", NULL },
                               NULL, beyond_contract, -1);
  assert_problem (moved_beyond, 400, "health_check.scheduled_on");
  g_assert_nonnull (strstr (moved_beyond->body, "contract"));
  notes_edited = request_full (server, "PATCH", path, token_a, (const char *[]) { "If-Match", "\"1\"", NULL },
                               NULL, "{\"notes\":\"Remote session through the jump host\"}", -1);
  assert_status (notes_edited, 200);

  /* A completed check is locked: its results do not change until it is
   * reopened, and reopening is a write of its own. */
  {
    g_autoptr(Reply) completed = request_full (server, "PATCH", path, token_a, (const char *[]) { "If-Match", "\"2\"", NULL },
                                               NULL, "{\"status\":\"completed\"}", -1);
    g_autoptr(Reply) edited = NULL;
    g_autoptr(Reply) reopened = NULL;

    assert_status (completed, 200);
    edited = request_full (server, "PATCH", path, token_a, (const char *[]) { "If-Match", "\"3\"", NULL },
                           NULL, "{\"notes\":\"Changed afterwards\"}", -1);
    assert_problem (edited, 400, "health_check.status");
    reopened = request_full (server, "PATCH", path, token_a, (const char *[]) { "If-Match", "\"3\"", NULL },
                             NULL, "{\"status\":\"in_progress\"}", -1);
    assert_status (reopened, 200);
  }

  /* One a contract year; the certificate; a cancelled check frees the year. */
  refused_second = request (server, "POST", "/health-checks", token_a, accepted_body);
  assert_problem (refused_second, 400, "health_check.scheduled_on");
  refused_certificate = request (server, "POST", "/health-checks", token_b, uncertified);
  assert_problem (refused_certificate, 400, "health_check.customer_id");
  cancelled = request_full (server, "PATCH", path, token_a, (const char *[]) { "If-Match", "\"4\"", NULL },
                            NULL, "{\"status\":\"cancelled\"}", -1);
  assert_status (cancelled, 200);
  accepted_again = request (server, "POST", "/health-checks", token_a, accepted_body);
  assert_status (accepted_again, 201);
}

/* The built-in checklist template, and a check's items made from it. */
static void
test_health_check_template (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) templates = NULL;
  g_autoptr(Reply) chinese = NULL;
  g_autoptr(Reply) bare = NULL;
  g_autoptr(Reply) old_version = NULL;
  g_autoptr(Reply) own_items = NULL;
  g_autoptr(SdChecklistTemplate) builtin = sd_checklist_template_new_builtin ("endpoint-security", NULL);
  g_autoptr(SdChecklistTemplate) served = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *list, *items;
  JsonObject *first;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  templates = request (server, "GET", "/checklist-templates", token, NULL);
  assert_status (templates, 200);
  list = json_object_get_array_member (reply_object (templates), "items");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  served = sd_checklist_template_from_json (json_array_get_element (list, 0), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_checklist_template_get_id (served), ==, "endpoint-security");
  g_assert_cmpuint (sd_checklist_template_get_version (served), ==, sd_checklist_template_get_version (builtin));
  g_assert_cmpuint (sd_checklist_template_get_n_items (served), >=, 30);
  g_assert_cmpstr (sd_checklist_template_get_title (served, "zh_CN"), ==, "终端安全部署");

  /* No items: the server makes them, in the language asked for. */
  chinese = request_full (server, "POST", "/health-checks", token,
                          (const char *[]) { "Accept-Language", "zh-CN,zh;q=0.9", NULL }, NULL,
                          "{\"customer_id\":\"cust-a\",\"status\":\"requested\","
                          "\"requested_at\":\"2024-06-03T10:00:00+08:00\",\"mode\":\"remote\","
                          "\"template_id\":\"endpoint-security\",\"template_version\":1,\"items\":[]}", -1);
  assert_status (chinese, 201);
  items = json_object_get_array_member (reply_object (chinese), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, sd_checklist_template_get_n_items (builtin));
  first = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, "管理服务器运行受支持的版本");
  g_assert_cmpstr (json_object_get_string_member (first, "result"), ==, "not_checked");

  bare = request (server, "POST", "/health-checks", token,
                  "{\"customer_id\":\"cust-a\",\"status\":\"requested\","
                  "\"requested_at\":\"2025-06-03T10:00:00+08:00\",\"mode\":\"remote\"}");
  assert_status (bare, 201);
  g_assert_cmpstr (member_string (bare, "template_id"), ==, "endpoint-security");
  items = json_object_get_array_member (reply_object (bare), "items");
  first = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, "The management server runs a supported release");

  /* A version the server does not have cannot be filled in. */
  old_version = request (server, "POST", "/health-checks", token,
                         "{\"customer_id\":\"cust-a\",\"status\":\"requested\","
                         "\"requested_at\":\"2026-06-03T10:00:00+08:00\",\"mode\":\"remote\","
                         "\"template_id\":\"endpoint-security\",\"template_version\":7}");
  assert_problem (old_version, 400, "health_check.template_version");

  /* A client that made the items itself (offline) keeps them. */
  own_items = request (server, "POST", "/health-checks", token,
                       "{\"customer_id\":\"cust-a\",\"status\":\"requested\","
                       "\"requested_at\":\"2026-06-03T10:00:00+08:00\",\"mode\":\"remote\","
                       "\"template_id\":\"endpoint-security\",\"template_version\":1,"
                       "\"items\":[{\"key\":\"SRV-01\",\"area\":\"Server\",\"title\":\"Own\","
                       "\"expected\":\"Latest\",\"result\":\"not_checked\"}]}");
  assert_status (own_items, 201);
  items = json_object_get_array_member (reply_object (own_items), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "title"), ==, "Own");
}

/* A user sets their own availability, and nothing else of anyone. */
static void
test_user_availability (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *mine = NULL, *theirs = NULL, *match = NULL;
  g_autoptr(Reply) me = NULL;
  g_autoptr(Reply) away = NULL;
  g_autoptr(Reply) back = NULL;
  g_autoptr(Reply) other = NULL;
  g_autoptr(Reply) promote = NULL;
  g_autoptr(Reply) no_match = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");
  mine = g_strconcat ("/users/", tam_a, NULL);
  theirs = g_strconcat ("/users/", tam_b, NULL);

  me = request (server, "GET", mine, token, NULL);
  assert_status (me, 200);
  match = g_strdup (soup_message_headers_get_one (me->headers, "ETag"));
  g_assert_nonnull (match);

  no_match = request (server, "PATCH", mine, token, "{\"out_of_office_until\":\"2026-12-04T10:00:00Z\"}");
  assert_problem (no_match, 428, NULL);
  away = request_full (server, "PATCH", mine, token, (const char *[]) { "If-Match", match, NULL }, NULL,
                       "{\"out_of_office_until\":\"2026-12-04T10:00:00Z\"}", -1);
  assert_status (away, 200);
  g_assert_cmpstr (member_string (away, "out_of_office_until"), ==, "2026-12-04T10:00:00Z");
  g_assert_cmpstr (member_string (away, "login"), ==, "tam.a");

  /* Only the availability, and only one's own. */
  promote = request_full (server, "PATCH", mine, token,
                          (const char *[]) { "If-Match", soup_message_headers_get_one (away->headers, "ETag"), NULL },
                          NULL, "{\"role\":\"admin\"}", -1);
  assert_problem (promote, 400, "user.role");
  other = request_full (server, "PATCH", theirs, token, (const char *[]) { "If-Match", "\"1\"", NULL }, NULL,
                        "{\"out_of_office_until\":null}", -1);
  assert_problem (other, 403, NULL);

  back = request_full (server, "PATCH", mine, token,
                       (const char *[]) { "If-Match", soup_message_headers_get_one (away->headers, "ETag"), NULL },
                       NULL, "{\"out_of_office_until\":null}", -1);
  assert_status (back, 200);
  g_assert_true (json_node_is_null (json_object_get_member (reply_object (back), "out_of_office_until")));
}

/* GET /changes raw, with @accept as Accept-Encoding and no decoder. */
static GBytes *
raw_changes (Server      *server,
             const char  *token,
             const char  *accept,
             char       **encoding)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (server->base, "/changes?after=0&limit=5000", NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding", accept);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  *encoding = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Encoding"));
  return body;
}

/* The change feed is gzip-coded for a client that accepts it, and the
 * coded page is the plain one. */
static void
test_changes_gzip (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autoptr(Server) server = server_start_seeded (db, &tam_a, &tam_b);
  g_autofree char *token = sign_in (server, "tam.a", "password-a");
  g_autofree char *plain_encoding = NULL, *coded_encoding = NULL;
  g_autoptr(GBytes) plain = NULL, coded = NULL, decoded = NULL;
  g_autoptr(GConverter) decompressor = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  g_autoptr(GInputStream) source = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  const guint8 *data;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *body = case_body ("cust-a", 3, now_s () - 60);
      g_autoptr(Reply) created = request (server, "POST", "/cases", token, body);

      assert_status (created, 201);
    }

  plain = raw_changes (server, token, "identity", &plain_encoding);
  coded = raw_changes (server, token, "gzip, deflate", &coded_encoding);
  g_assert_null (plain_encoding);
  g_assert_cmpstr (coded_encoding, ==, "gzip");
  g_assert_cmpuint (g_bytes_get_size (coded), <, g_bytes_get_size (plain) / 3);
  data = g_bytes_get_data (coded, NULL);
  g_assert_true (data[0] == 0x1f && data[1] == 0x8b);

  source = g_memory_input_stream_new_from_bytes (coded);
  stream = g_converter_input_stream_new (source, decompressor);
  g_output_stream_splice (sink, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  decoded = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
  g_assert_true (g_bytes_equal (decoded, plain));
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);

  g_test_add_func ("/server/auth-required", test_auth_required);
  g_test_add_func ("/server/changes-gzip", test_changes_gzip);
  g_test_add_func ("/server/sign-in-and-out", test_sign_in_and_out);
  g_test_add_func ("/server/sign-in-throttled", test_sign_in_throttled);
  g_test_add_func ("/server/isolation", test_isolation);
  g_test_add_func ("/server/idempotent-create", test_idempotent_create);
  g_test_add_func ("/server/if-match", test_if_match);
  g_test_add_func ("/server/change-feed", test_change_feed);
  g_test_add_func ("/server/paging", test_paging);
  g_test_add_func ("/server/bad-input", test_bad_input);
  g_test_add_func ("/server/kill-9", test_kill_9);
  g_test_add_func ("/server/demo-and-sla", test_demo_and_sla);
  g_test_add_func ("/server/https", test_https);
  g_test_add_func ("/server/timeline-rules", test_timeline_rules);
  g_test_add_func ("/server/record-rules", test_record_rules);
  g_test_add_func ("/server/database-release-tier", test_database_release_tier);
  g_test_add_func ("/server/service-request-rules", test_service_request_rules);
  g_test_add_func ("/server/user-add", test_user_add);
  g_test_add_func ("/server/user-availability", test_user_availability);
  g_test_add_func ("/server/health-check-rules", test_health_check_rules);
  g_test_add_func ("/server/health-check-template", test_health_check_template);
  g_test_add_func ("/server/idempotency-scope", test_idempotency_scope);
  return server_test_run ();
}
