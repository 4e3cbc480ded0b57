/* test-local-store.c — the client's SQLite cache: migrations, change-feed
 * pages, the outbox, the local view, crash durability and the async API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <supportdesk.h>

#define REPORTED_AT G_GINT64_CONSTANT (1771050000)

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-local-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "account", "user.db", NULL);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static SdLocalStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  SdLocalStore *store = sd_local_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* "00000000-0000-4000-8000-000000000042" */
static char *
case_id (guint n)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012u", n);
}

static SdCase *
build_case (guint       n,
            const char *customer_id,
            const char *title,
            gint64      version)
{
  g_autofree char *id = case_id (n);
  SdCase *kase = sd_case_new (id);

  sd_case_set_customer_id (kase, customer_id);
  sd_case_set_title (kase, title);
  sd_case_set_description (kase, "The scanner reports a false positive on the build server.");
  sd_case_set_case_type (kase, SD_CASE_TYPE_INCIDENT);
  sd_case_set_severity (kase, 3);
  sd_case_set_status (kase, SD_CASE_STATUS_NEW);
  sd_case_set_reported_at (kase, REPORTED_AT);
  sd_case_set_reported_via (kase, SD_REPORTED_VIA_PORTAL);
  sd_case_set_version (kase, version);
  sd_case_set_updated_at (kase, REPORTED_AT + version);
  return kase;
}

static JsonNode *
case_json (guint       n,
           const char *customer_id,
           const char *title,
           gint64      version)
{
  g_autoptr(SdCase) kase = build_case (n, customer_id, title, version);

  return sd_case_to_json (kase);
}

static JsonNode *
customer_json (const char *id,
               gint64      version)
{
  g_autoptr(SdCustomer) customer = sd_customer_new (id);

  sd_customer_set_name (customer, "Acme Trading Co., Ltd.");
  sd_customer_set_tier (customer, SD_TIER_STANDARD);
  sd_customer_set_time_zone (customer, "Asia/Shanghai");
  sd_customer_set_calendar_id (customer, "cn-mainland");
  sd_customer_set_version (customer, version);
  return sd_customer_to_json (customer);
}

typedef struct {
  JsonArray *changes;
  gint64     seq;
} PageBuilder;

static void
page_add (PageBuilder *page,
          const char  *kind,
          const char  *id,
          gint64       version,
          JsonNode    *entity)
{
  JsonObject *change = json_object_new ();

  json_object_set_int_member (change, "seq", ++page->seq);
  json_object_set_string_member (change, "kind", kind);
  json_object_set_string_member (change, "id", id);
  json_object_set_int_member (change, "version", version);
  json_object_set_boolean_member (change, "deleted", entity == NULL);
  if (entity != NULL)
    json_object_set_member (change, "entity", entity);
  else
    json_object_set_null_member (change, "entity");
  json_array_add_object_element (page->changes, change);
}

static void
page_add_case (PageBuilder *page,
               guint        n,
               const char  *customer_id,
               const char  *title,
               gint64       version)
{
  g_autofree char *id = case_id (n);

  page_add (page, "case", id, version, case_json (n, customer_id, title, version));
}

static void
page_init (PageBuilder *page,
           gint64       first_seq)
{
  page->changes = json_array_new ();
  page->seq = first_seq;
}

static JsonNode *
page_finish (PageBuilder *page,
             gboolean     has_more)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  json_object_set_array_member (object, "changes", page->changes);
  json_object_set_int_member (object, "next", page->seq);
  json_object_set_boolean_member (object, "has_more", has_more);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  page->changes = NULL;
  return node;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = sd_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return node;
}

static const char *
member_string (JsonNode   *node,
               const char *name)
{
  g_assert_nonnull (node);
  return json_object_get_string_member_with_default (json_node_get_object (node), name, NULL);
}

static void
assert_json_equal (JsonNode *a,
                   JsonNode *b)
{
  g_autofree char *text_a = sd_json_to_string (a, FALSE);
  g_autofree char *text_b = sd_json_to_string (b, FALSE);

  g_assert_cmpstr (text_a, ==, text_b);
}

/* Every row of every table, through a connection of its own. */
static char *
dump_database (const char *path)
{
  static const char * const queries[] = {
    "SELECT kind, id, version, body, customer_id, parent_id, updated_at FROM mirror ORDER BY kind, id",
    "SELECT kind, id, body, customer_id, parent_id, updated_at FROM local ORDER BY kind, id",
    "SELECT * FROM outbox ORDER BY seq",
    "SELECT key, value FROM sync_state ORDER BY key",
  };
  GString *dump = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      g_string_append_printf (dump, "-- %u\n", q);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const unsigned char *text = sqlite3_column_text (stmt, c);

              g_string_append (dump, text ? (const char *) text : "NULL");
              g_string_append_c (dump, '|');
            }
          g_string_append_c (dump, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (dump, FALSE);
}

/* Cases 1–3 of cust-acme, case 4 of cust-globex, the two customers. */
static JsonNode *
first_page (void)
{
  PageBuilder page;

  page_init (&page, 0);
  page_add (&page, "customer", "cust-acme", 1, customer_json ("cust-acme", 1));
  page_add (&page, "customer", "cust-globex", 1, customer_json ("cust-globex", 1));
  page_add_case (&page, 1, "cust-acme", "Signature update fails on two servers", 1);
  page_add_case (&page, 2, "cust-acme", "Console slow after upgrade", 1);
  page_add_case (&page, 3, "cust-acme", "Licence count wrong", 1);
  page_add_case (&page, 4, "cust-globex", "Agent crashes at start", 1);
  return page_finish (&page, FALSE);
}

static void
apply_ok (SdLocalStore *store,
          JsonNode     *page)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_local_store_apply_changes (store, page, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------- tests */

static void
test_migrations (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  {
    g_autoptr(SdLocalStore) store = open_store (fixture->path);
    g_autoptr(JsonNode) page = first_page ();

    g_assert_true (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
    g_assert_cmpint (sd_local_store_get_schema_version (store), ==, 1);
    g_assert_cmpint (sd_local_store_get_cursor (store, &error), ==, 0);
    g_assert_no_error (error);
    apply_ok (store, page);
  }

  {
    g_autoptr(SdLocalStore) store = open_store (fixture->path);
    g_autoptr(JsonNode) kase = NULL;
    g_autofree char *id = case_id (2);
    g_autofree char *mode = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sd_local_store_get_schema_version (store), ==, 1);
    g_assert_cmpint (sd_local_store_get_cursor (store, &error), ==, 6);
    kase = sd_local_store_get (store, "case", id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (member_string (kase, "title"), ==, "Console slow after upgrade");

    g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    mode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    g_assert_cmpstr (mode, ==, "wal");
  }

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (sd_local_store_open (fixture->path, &error));
  g_assert_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_SCHEMA);
}

static void
test_apply_pages (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(SdLocalStore) store = open_store (fixture->path);
  g_autoptr(JsonNode) page1 = first_page ();
  g_autoptr(JsonNode) page2 = NULL;
  g_autoptr(GPtrArray) acme = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(JsonNode) sent = case_json (1, "cust-acme", "Signature update fails on two servers", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = case_id (1);
  g_autofree char *id3 = case_id (3);
  PageBuilder page;

  apply_ok (store, page1);
  g_assert_cmpint (sd_local_store_get_cursor (store, &error), ==, 6);

  got = sd_local_store_get (store, "case", id1, &error);
  g_assert_no_error (error);
  assert_json_equal (got, sent);
  g_clear_pointer (&got, json_node_unref);

  acme = sd_local_store_list (store, "case", "cust-acme", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (acme->len, ==, 3);
  all = sd_local_store_list_cases_for_board (store, &error);
  g_assert_cmpuint (all->len, ==, 4);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = sd_local_store_list (store, "customer", NULL, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_clear_pointer (&all, g_ptr_array_unref);

  /* An update of case 1, a tombstone for case 3, a page cursor of 40. */
  page_init (&page, 38);
  page_add_case (&page, 1, "cust-acme", "Signature update fails on all servers", 2);
  page_add (&page, "case", id3, 2, NULL);
  page2 = page_finish (&page, TRUE);
  apply_ok (store, page2);

  g_assert_cmpint (sd_local_store_get_cursor (store, &error), ==, 40);
  got = sd_local_store_get (store, "case", id1, &error);
  g_assert_cmpstr (member_string (got, "title"), ==, "Signature update fails on all servers");
  g_clear_pointer (&got, json_node_unref);
  got = sd_local_store_get (store, "case", id3, &error);
  g_assert_no_error (error);
  g_assert_null (got);
  all = sd_local_store_list (store, "case", "cust-acme", &error);
  g_assert_cmpuint (all->len, ==, 2);
}

static void
test_apply_invalid_changes_nothing (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(SdLocalStore) store = open_store (fixture->path);
  g_autoptr(JsonNode) page1 = first_page ();
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *bad_id = case_id (1300);
  PageBuilder page;

  apply_ok (store, page1);
  before = dump_database (fixture->path);

  /* 600 changes: an update of case 1 first, then new cases, the 301st
   * without a title. */
  page_init (&page, 100);
  page_add_case (&page, 1, "cust-acme", "Changed by a page that is refused", 7);
  for (guint i = 1001; i < 1600; i++)
    page_add_case (&page, i, "cust-acme", "A new case", 1);
  json_object_remove_member (json_object_get_object_member (json_array_get_object_element (page.changes, 300),
                                                            "entity"), "title");
  bad = page_finish (&page, TRUE);

  g_assert_false (sd_local_store_apply_changes (store, bad, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "case"));
  g_assert_nonnull (strstr (error->message, bad_id));
  g_assert_nonnull (strstr (error->message, "changes[300].entity.title"));

  after = dump_database (fixture->path);
  g_assert_true (g_str_equal (before, after));
  g_assert_cmpint (sd_local_store_get_cursor (store, NULL), ==, 6);
  g_clear_error (&error);

  /* A change whose entity is another one's is refused too. */
  page_init (&page, 100);
  page_add (&page, "case", bad_id, 1, case_json (1, "cust-acme", "Mismatch", 1));
  g_clear_pointer (&bad, json_node_unref);
  bad = page_finish (&page, FALSE);
  g_assert_false (sd_local_store_apply_changes (store, bad, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "changes[0].entity.id"));
  g_free (after);
  after = dump_database (fixture->path);
  g_assert_true (g_str_equal (before, after));
}

static void
test_apply_idempotent (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(SdLocalStore) store = open_store (fixture->path);
  g_autoptr(JsonNode) page1 = first_page ();
  g_autoptr(JsonNode) page2 = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autofree char *once = NULL;
  g_autofree char *twice = NULL;
  g_autofree char *id1 = case_id (1);
  PageBuilder page;

  apply_ok (store, page1);
  page_init (&page, 6);
  page_add_case (&page, 1, "cust-acme", "Newer title", 2);
  page_add (&page, "customer", "cust-globex", 2, NULL);
  page2 = page_finish (&page, FALSE);
  apply_ok (store, page2);
  once = dump_database (fixture->path);

  apply_ok (store, page2);
  twice = dump_database (fixture->path);
  g_assert_true (g_str_equal (once, twice));

  /* An older page again does not bring back old state. */
  apply_ok (store, page1);
  got = sd_local_store_get (store, "case", id1, NULL);
  g_assert_cmpstr (member_string (got, "title"), ==, "Newer title");
  g_assert_cmpint (sd_local_store_get_cursor (store, NULL), ==, 6);
}

static void
test_enqueue_local_view (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(SdLocalStore) store = open_store (fixture->path);
  g_autoptr(JsonNode) page1 = first_page ();
  g_autoptr(JsonNode) page2 = NULL;
  g_autoptr(JsonNode) patch = parse ("{\"status\": \"in_progress\", \"reason\": \"picked up\"}");
  g_autoptr(JsonNode) bad_patch = parse ("{\"severity\": 9}");
  g_autoptr(JsonNode) created = case_json (77, "cust-globex", "Created offline", 0);
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(SdOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) globex = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = case_id (1);
  g_autofree char *id77 = case_id (77);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  PageBuilder page;
  guint pending = 99, conflicts = 99, attention = 99;
  gint64 seq1, seq2;

  apply_ok (store, page1);

  seq1 = sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case", id1, patch, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seq1, >, 0);
  got = sd_local_store_get (store, "case", id1, &error);
  g_assert_cmpstr (member_string (got, "status"), ==, "in_progress");
  g_assert_false (json_object_has_member (json_node_get_object (got), "reason"));
  g_clear_pointer (&got, json_node_unref);

  seq2 = sd_local_store_enqueue (store, SD_OUTBOX_OP_CREATE, "case", id77, created, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (seq2, >, seq1);
  globex = sd_local_store_list (store, "case", "cust-globex", &error);
  g_assert_cmpuint (globex->len, ==, 2);

  entry = sd_local_store_peek (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->seq, ==, seq1);
  g_assert_cmpint (entry->op, ==, SD_OUTBOX_OP_UPDATE);
  g_assert_cmpstr (entry->kind, ==, "case");
  g_assert_cmpstr (entry->id, ==, id1);
  g_assert_cmpint (entry->base_version, ==, 1);
  g_assert_cmpint (entry->state, ==, SD_OUTBOX_STATE_PENDING);
  g_assert_true (g_uuid_string_is_valid (entry->idempotency_key));
  assert_json_equal (entry->payload, patch);

  g_assert_true (sd_local_store_get_counts (store, &pending, &conflicts, &attention, &error));
  g_assert_cmpuint (pending, ==, 2);
  g_assert_cmpuint (conflicts, ==, 0);
  g_assert_cmpuint (attention, ==, 0);

  /* The server changes another field of case 1: the view shows both. */
  page_init (&page, 6);
  {
    g_autoptr(SdCase) kase = build_case (1, "cust-acme", "Title changed on the server", 2);
    page_add (&page, "case", id1, 2, sd_case_to_json (kase));
  }
  page2 = page_finish (&page, FALSE);
  apply_ok (store, page2);
  got = sd_local_store_get (store, "case", id1, &error);
  g_assert_cmpstr (member_string (got, "status"), ==, "in_progress");
  g_assert_cmpstr (member_string (got, "title"), ==, "Title changed on the server");
  g_clear_pointer (&got, json_node_unref);

  /* Refused edits leave everything as it was. */
  before = dump_database (fixture->path);
  g_assert_cmpint (sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case", id1, bad_patch, 2, &error), ==, 0);
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "severity"));
  g_clear_error (&error);
  g_assert_cmpint (sd_local_store_enqueue (store, SD_OUTBOX_OP_CREATE, "case", id77, created, 0, &error), ==, 0);
  g_assert_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case", "no-such-case", patch, 1, &error), ==, 0);
  g_assert_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = dump_database (fixture->path);
  g_assert_true (g_str_equal (before, after));
}

static void
test_complete_and_fail (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(SdLocalStore) store = open_store (fixture->path);
  g_autoptr(JsonNode) page1 = first_page ();
  g_autoptr(JsonNode) patch1 = parse ("{\"severity\": 2}");
  g_autoptr(JsonNode) patch2 = parse ("{\"title\": \"Signature update fails everywhere\"}");
  g_autoptr(JsonNode) patch3 = parse ("{\"title\": \"Console very slow\"}");
  g_autoptr(JsonNode) server = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(SdOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) attention_list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = case_id (1);
  g_autofree char *id2 = case_id (2);
  guint pending, conflicts, attention;
  gint64 seq1, seq2, seq3;

  apply_ok (store, page1);
  seq1 = sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case", id1, patch1, 1, &error);
  seq2 = sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case", id1, patch2, 1, &error);
  seq3 = sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case", id2, patch3, 1, &error);
  g_assert_no_error (error);

  /* The server accepts the first: version 2 with severity 2. */
  {
    g_autoptr(SdCase) kase = build_case (1, "cust-acme", "Signature update fails on two servers", 2);

    sd_case_set_severity (kase, 2);
    server = sd_case_to_json (kase);
  }
  g_assert_true (sd_local_store_complete (store, seq1, server, &error));
  g_assert_no_error (error);
  entry = sd_local_store_peek (store, &error);
  g_assert_cmpint (entry->seq, ==, seq2);
  g_assert_cmpint (entry->base_version, ==, 2);
  g_clear_pointer (&entry, sd_outbox_entry_free);
  got = sd_local_store_get (store, "case", id1, &error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (got), "severity"), ==, 2);
  g_assert_cmpstr (member_string (got, "title"), ==, "Signature update fails everywhere");
  g_clear_pointer (&got, json_node_unref);

  /* A transient failure: still pending, attempts counted. */
  g_assert_true (sd_local_store_fail (store, seq2, "Service unavailable", FALSE, &error));
  entry = sd_local_store_peek (store, &error);
  g_assert_cmpint (entry->seq, ==, seq2);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpstr (entry->last_error, ==, "Service unavailable");
  g_clear_pointer (&entry, sd_outbox_entry_free);

  /* A permanent one: needs attention, not peeked, still shown. */
  g_assert_true (sd_local_store_fail (store, seq2, "Title too long", TRUE, &error));
  entry = sd_local_store_peek (store, &error);
  g_assert_cmpint (entry->seq, ==, seq3);
  g_clear_pointer (&entry, sd_outbox_entry_free);
  g_assert_true (sd_local_store_get_counts (store, &pending, &conflicts, &attention, &error));
  g_assert_cmpuint (pending, ==, 1);
  g_assert_cmpuint (attention, ==, 1);
  g_assert_cmpuint (conflicts, ==, 0);
  attention_list = sd_local_store_list_outbox (store, SD_OUTBOX_STATE_NEEDS_ATTENTION, &error);
  g_assert_cmpuint (attention_list->len, ==, 1);
  g_assert_cmpstr (((SdOutboxEntry *) attention_list->pdata[0])->last_error, ==, "Title too long");
  got = sd_local_store_get (store, "case", id1, &error);
  g_assert_cmpstr (member_string (got, "title"), ==, "Signature update fails everywhere");
  g_clear_pointer (&got, json_node_unref);

  /* Completing the rest; discarding the refused edit shows the server's. */
  g_assert_true (sd_local_store_complete (store, seq3, NULL, &error));
  g_assert_null (sd_local_store_peek (store, &error));
  g_assert_no_error (error);
  g_assert_true (sd_local_store_retry (store, seq2, &error));
  entry = sd_local_store_peek (store, &error);
  g_assert_cmpint (entry->seq, ==, seq2);
  g_assert_cmpuint (entry->attempts, ==, 0);
  g_assert_true (sd_local_store_discard (store, seq2, &error));
  g_assert_no_error (error);
  got = sd_local_store_get (store, "case", id1, &error);
  g_assert_cmpstr (member_string (got, "title"), ==, "Signature update fails on two servers");
  g_clear_pointer (&got, json_node_unref);
  g_assert_false (sd_local_store_complete (store, seq2, NULL, &error));
  g_assert_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND);
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(SdLocalStore) store = open_store (fixture->path);
  g_autoptr(JsonNode) page1 = first_page ();
  g_autoptr(JsonNode) mine = parse ("{\"title\": \"Mine\"}");
  g_autoptr(JsonNode) theirs = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(SdOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = case_id (1);
  g_autofree char *id2 = case_id (2);
  SdOutboxEntry *conflict;
  guint pending, conflicts, attention;
  gint64 seq1, seq2;

  apply_ok (store, page1);
  seq1 = sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case", id1, mine, 1, &error);
  seq2 = sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case", id2, mine, 1, &error);
  g_assert_no_error (error);

  theirs = case_json (1, "cust-acme", "Theirs", 5);
  g_assert_true (sd_local_store_mark_conflict (store, seq1, theirs, &error));
  g_assert_no_error (error);

  list = sd_local_store_list_conflicts (store, &error);
  g_assert_cmpuint (list->len, ==, 1);
  conflict = list->pdata[0];
  g_assert_cmpint (conflict->seq, ==, seq1);
  g_assert_cmpint (conflict->state, ==, SD_OUTBOX_STATE_CONFLICT);
  assert_json_equal (conflict->payload, mine);
  assert_json_equal (conflict->server_entity, theirs);
  g_assert_true (sd_local_store_get_counts (store, &pending, &conflicts, &attention, &error));
  g_assert_cmpuint (conflicts, ==, 1);
  g_assert_cmpuint (pending, ==, 1);

  /* The view keeps my edit; the op is not pushed again until resolved. */
  got = sd_local_store_get (store, "case", id1, &error);
  g_assert_cmpstr (member_string (got, "title"), ==, "Mine");
  g_clear_pointer (&got, json_node_unref);
  entry = sd_local_store_peek (store, &error);
  g_assert_cmpint (entry->seq, ==, seq2);
  g_clear_pointer (&entry, sd_outbox_entry_free);

  g_assert_true (sd_local_store_resolve_conflict (store, seq1, SD_CONFLICT_KEEP_MINE, &error));
  g_assert_no_error (error);
  entry = sd_local_store_peek (store, &error);
  g_assert_cmpint (entry->seq, ==, seq1);
  g_assert_cmpint (entry->base_version, ==, 5);
  g_clear_pointer (&entry, sd_outbox_entry_free);
  g_assert_false (sd_local_store_resolve_conflict (store, seq1, SD_CONFLICT_KEEP_MINE, &error));
  g_assert_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A second conflict, and this time theirs wins. */
  g_clear_pointer (&theirs, json_node_unref);
  theirs = case_json (1, "cust-acme", "Theirs again", 6);
  g_assert_true (sd_local_store_mark_conflict (store, seq1, theirs, &error));
  g_assert_true (sd_local_store_resolve_conflict (store, seq1, SD_CONFLICT_TAKE_THEIRS, &error));
  g_assert_no_error (error);
  got = sd_local_store_get (store, "case", id1, &error);
  assert_json_equal (got, theirs);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = sd_local_store_list_conflicts (store, &error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_other_kinds (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(SdLocalStore) store = open_store (fixture->path);
  g_autoptr(JsonNode) page1 = first_page ();
  g_autoptr(JsonNode) page2 = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) acme_events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = case_id (1);
  g_autoptr(SdCaseEvent) event = sd_case_event_new_comment (id1, "user-li-wei", REPORTED_AT + 60,
                                                            "Asked for the scan log.");
  g_autoptr(SdUser) user = sd_user_new ("user-li-wei");
  g_autoptr(SdSlaPolicy) policy = sd_sla_policy_new_for_tier (SD_TIER_STANDARD);
  JsonNode *limited;
  PageBuilder page;

  apply_ok (store, page1);
  sd_user_set_display_name (user, "Li Wei");
  sd_user_set_login (user, "liwei");
  sd_user_set_role (user, SD_ROLE_TAM);
  limited = sd_user_to_json (user);
  json_object_remove_member (json_node_get_object (limited), "login");
  json_object_remove_member (json_node_get_object (limited), "email");

  page_init (&page, 6);
  page_add (&page, "case_event", sd_case_event_get_id (event), 1, sd_case_event_to_json (event));
  page_add (&page, "user", "user-li-wei", 1, limited);
  page_add (&page, "sla_policy", "standard", 1, sd_sla_policy_to_json (policy));
  page_add (&page, "checklist_template", "tpl-endpoint", 1,
            parse ("{\"id\": \"tpl-endpoint\", \"version\": 1, \"title\": \"Endpoint protection\","
                   " \"items\": [{\"key\": \"UPD-01\", \"area\": \"Updates\", \"title\": \"Signatures current\","
                   " \"expected\": {\"en\": \"Updated daily\", \"zh_CN\": \"每天更新\"}}]}"));
  page2 = page_finish (&page, FALSE);
  apply_ok (store, page2);

  events = sd_local_store_list_events (store, id1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (member_string (events->pdata[0], "body"), ==, "Asked for the scan log.");
  acme_events = sd_local_store_list (store, "case_event", "cust-acme", &error);
  g_assert_cmpuint (acme_events->len, ==, 1);
  got = sd_local_store_get (store, "user", "user-li-wei", &error);
  g_assert_cmpstr (member_string (got, "display_name"), ==, "Li Wei");
  g_assert_false (json_object_has_member (json_node_get_object (got), "login"));
  g_clear_pointer (&got, json_node_unref);
  got = sd_local_store_get (store, "sla_policy", "standard", &error);
  g_assert_nonnull (got);
  g_clear_pointer (&got, json_node_unref);

  /* A template item without its key, and an unknown kind, are refused. */
  page_init (&page, 20);
  page_add (&page, "checklist_template", "tpl-2", 1,
            parse ("{\"id\": \"tpl-2\", \"version\": 1, \"title\": \"T\", \"items\": [{\"area\": \"Updates\","
                   " \"title\": \"x\", \"expected\": \"y\"}]}"));
  bad = page_finish (&page, FALSE);
  g_assert_false (sd_local_store_apply_changes (store, bad, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "changes[0].entity.items[0].key"));
  g_clear_error (&error);
  g_clear_pointer (&bad, json_node_unref);
  page_init (&page, 20);
  page_add (&page, "invoice", "inv-1", 1, parse ("{\"id\": \"inv-1\"}"));
  bad = page_finish (&page, FALSE);
  g_assert_false (sd_local_store_apply_changes (store, bad, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "changes[0].kind"));
  g_assert_cmpint (sd_local_store_get_cursor (store, NULL), ==, 10);
}

/* The child of test_crash: enqueues @n creates, then dies by SIGKILL the
 * moment the last enqueue has returned. */
static int
crash_child (const char *path,
             guint       n)
{
  g_autoptr(GError) error = NULL;
  SdLocalStore *store = sd_local_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = case_id (5000 + i);
      g_autoptr(JsonNode) created = case_json (5000 + i, "cust-acme", "Typed on the train", 0);

      if (sd_local_store_enqueue (store, SD_OUTBOX_OP_CREATE, "case", id, created, 0, &error) <= 0)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  raise (SIGKILL);
  return 2;
}

static void
test_crash (Fixture       *fixture,
            gconstpointer  user_data)
{
  const guint n = 50;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autoptr(JsonNode) page1 = first_page ();

  g_assert_no_error (error);
  {
    g_autoptr(SdLocalStore) store = open_store (fixture->path);

    apply_ok (store, page1);
  }

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            self_exe, "--crash-child", fixture->path, count, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  {
    g_autoptr(SdLocalStore) store = open_store (fixture->path);

    cases = sd_local_store_list (store, "case", "cust-acme", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (cases->len, ==, 3 + n);
    pending = sd_local_store_list_outbox (store, SD_OUTBOX_STATE_PENDING, &error);
    g_assert_cmpuint (pending->len, ==, n);
    for (guint i = 0; i < n; i++)
      {
        SdOutboxEntry *entry = pending->pdata[i];
        g_autofree char *id = case_id (5000 + i);
        g_autoptr(JsonNode) got = sd_local_store_get (store, "case", id, &error);

        g_assert_cmpstr (entry->id, ==, id);
        g_assert_cmpint (entry->op, ==, SD_OUTBOX_OP_CREATE);
        g_assert_true (g_hash_table_add (keys, entry->idempotency_key));
        g_assert_nonnull (got);
        g_assert_cmpstr (member_string (got, "title"), ==, "Typed on the train");
      }
  }
}

typedef struct {
  gboolean  done;
  GError   *error;
  gint64    seq;
  GPtrArray *list;
} AsyncState;

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncState *state = user_data;

  sd_local_store_apply_changes_finish (SD_LOCAL_STORE (source), result, &state->error);
  state->done = TRUE;
}

static void
enqueued_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;

  state->seq = sd_local_store_enqueue_finish (SD_LOCAL_STORE (source), result, &state->error);
  state->done = TRUE;
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState *state = user_data;

  state->list = sd_local_store_list_finish (SD_LOCAL_STORE (source), result, &state->error);
  state->done = TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

static void
changed_cb (SdLocalStore *store,
            gpointer      user_data)
{
  guint *changes = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  (*changes)++;
}

static JsonNode *
big_page (guint   first,
          guint   n,
          gint64  first_seq)
{
  PageBuilder page;

  page_init (&page, first_seq);
  for (guint i = 0; i < n; i++)
    page_add_case (&page, first + i, i % 2 ? "cust-acme" : "cust-globex",
                   "Scheduled scan stops at 40 % on file servers", 1);
  return page_finish (&page, n > 0);
}

static void
run_until_done (AsyncState *state)
{
  while (!state->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(SdLocalStore) store = open_store (fixture->path);
  g_autoptr(JsonNode) page = big_page (100000, 10000, 0);
  g_autoptr(JsonNode) patch = parse ("{\"severity\": 1}");
  g_autofree char *id = case_id (100042);
  AsyncState state = { 0 };
  guint ticks = 0, changes = 0;
  guint tick_id;
  gulong handler;

  handler = g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changes);
  tick_id = g_timeout_add (1, tick_cb, &ticks);
  sd_local_store_apply_changes_async (store, page, NULL, applied_cb, &state);
  g_assert_false (state.done);
  run_until_done (&state);
  g_source_remove (tick_id);
  g_assert_no_error (state.error);
  g_test_message ("the main loop ran %u timeouts of 1 ms during a 10,000-case apply", ticks);
  g_assert_cmpuint (ticks, >, 0);

  memset (&state, 0, sizeof state);
  sd_local_store_enqueue_async (store, SD_OUTBOX_OP_UPDATE, "case", id, patch, 1, NULL, enqueued_cb, &state);
  run_until_done (&state);
  g_assert_no_error (state.error);
  g_assert_cmpint (state.seq, >, 0);

  memset (&state, 0, sizeof state);
  sd_local_store_enqueue_async (store, SD_OUTBOX_OP_UPDATE, "case", "missing", patch, 1, NULL, enqueued_cb, &state);
  run_until_done (&state);
  g_assert_error (state.error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (state.seq, ==, 0);
  g_clear_error (&state.error);

  memset (&state, 0, sizeof state);
  sd_local_store_list_async (store, "case", "cust-globex", NULL, listed_cb, &state);
  run_until_done (&state);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.list->len, ==, 5000);
  for (guint i = 0; i < state.list->len; i++)
    {
      JsonObject *object = json_node_get_object (state.list->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member (object, "id"), id) == 0)
        g_assert_cmpint (json_object_get_int_member (object, "severity"), ==, 1);
      else
        g_assert_cmpint (json_object_get_int_member (object, "severity"), ==, 3);
    }
  g_clear_pointer (&state.list, g_ptr_array_unref);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changes, >=, 2);
  g_signal_handler_disconnect (store, handler);
}

static void
test_apply_timing (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(SdLocalStore) store = open_store (fixture->path);
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;

  for (guint p = 0; p < 10; p++)
    g_ptr_array_add (pages, big_page (200000 + p * 1000, 1000, p * 1000));

  start = g_get_monotonic_time ();
  for (guint p = 0; p < pages->len; p++)
    apply_ok (store, pages->pdata[p]);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("applying 10,000 cases in 10 pages of 1,000 took %.1f ms",
                  elapsed / 1000.0);

  cases = sd_local_store_list_cases_for_board (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 10000);
  g_assert_cmpint (sd_local_store_get_cursor (store, &error), ==, 10000);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return crash_child (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) \
  g_test_add ("/local-store/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("migrations", test_migrations);
  ADD ("apply-pages", test_apply_pages);
  ADD ("apply-invalid-changes-nothing", test_apply_invalid_changes_nothing);
  ADD ("apply-idempotent", test_apply_idempotent);
  ADD ("enqueue-local-view", test_enqueue_local_view);
  ADD ("complete-and-fail", test_complete_and_fail);
  ADD ("conflict", test_conflict);
  ADD ("other-kinds", test_other_kinds);
  ADD ("crash", test_crash);
  ADD ("async", test_async);
  ADD ("apply-timing", test_apply_timing);
#undef ADD

  return g_test_run ();
}
