/* test-sync-reassign.c — a TAM's copy follows their customers
 *
 * Two TAMs sync through the sync engine against the real server. When an
 * admin gives TAM A's customer to TAM B, A's next sync drops the customer
 * and everything under it, B's next sync brings it all (though it was
 * written before B's cursor), and an edit A had not sent yet stays in A's
 * outbox and is refused, never lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <supportdesk.h>

#include "server-test-util.h"

#define N_CASES 3
#define API_PREFIX_PATH "/api/v1"

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

typedef struct {
  SdRestClient *client;
  SdLocalStore *store;
  SdSyncEngine *engine;
} Client;

static void
client_clear (Client *client)
{
  g_clear_object (&client->engine);
  g_clear_object (&client->store);
  g_clear_object (&client->client);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Client, client_clear)

static void
client_init (Client     *client,
             Server     *server,
             const char *login,
             const char *password)
{
  g_autofree char *root = g_strndup (server->base, strlen (server->base) - strlen (API_PREFIX_PATH));
  static guint n;
  g_autofree char *path = g_strdup_printf ("%s/%s-%u.db", tmpdir, login, ++n);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  client->client = sd_rest_client_new (root, NULL, &error);
  g_assert_no_error (error);
  sd_rest_client_sign_in_async (client->client, login, password, NULL, got_result_cb, &result);
  g_assert_true (sd_rest_client_sign_in_finish (client->client, wait_for (&result), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  client->store = sd_local_store_open (path, &error);
  g_assert_no_error (error);
  client->engine = sd_sync_engine_new (client->client, client->store);
  /* Small pages: the access record and the moved entities span several. */
  sd_sync_engine_set_page_size (client->engine, 2);
}

static void
client_sync (Client *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sd_sync_engine_sync_async (client->engine, NULL, got_result_cb, &result);
  if (!sd_sync_engine_sync_finish (client->engine, wait_for (&result), &error))
    g_test_message ("sync: %s", error->message);
}

static guint
count_kind (Client     *client,
            const char *kind,
            const char *customer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = sd_local_store_list (client->store, kind, customer_id, &error);

  g_assert_no_error (error);
  return items->len;
}

static guint
count_outbox (Client        *client,
              SdOutboxState  state)
{
  g_autoptr(GPtrArray) entries = sd_local_store_list_outbox (client->store, state, NULL);

  return entries ? entries->len : 0;
}

static void
test_reassigned_customer_moves (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  g_autofree char *token_a = sign_in (server, "tam.a", "password-a");
  g_autofree char *reassign_path = g_strdup_printf ("/users/%s/reassign", tam_a);
  g_autofree char *tam_b = NULL;
  g_autofree char *edited_id = NULL;
  g_autoptr(Reply) contact = NULL;
  g_autoptr(Reply) moved = NULL;
  g_autoptr(Reply) me_b = NULL;
  g_auto(Client) a = { 0 };
  g_auto(Client) b = { 0 };
  g_autoptr(GError) error = NULL;
  guint events_a;

  contact = request (server, "POST", "/contacts", admin,
                     "{\"id\":\"ct-1\",\"customer_id\":\"cust-a\",\"name\":\"王芳\",\"email\":\"wang@example.cn\","
                     "\"roles\":[\"daily_report\"]}");
  assert_status (contact, 201);
  for (guint i = 0; i < N_CASES; i++)
    {
      g_autofree char *body = case_body ("cust-a", 2, now_s () - 600);
      g_autoptr(Reply) created = request (server, "POST", "/cases", token_a, body);
      g_autofree char *events = NULL;
      g_autoptr(Reply) comment = NULL;

      assert_status (created, 201);
      events = g_strdup_printf ("/cases/%s/events", member_string (created, "id"));
      comment = request (server, "POST", events, token_a, "{\"kind\":\"comment\",\"body\":\"Logs received\"}");
      assert_status (comment, 201);
      if (i == 0)
        edited_id = g_strdup (member_string (created, "id"));
    }

  client_init (&a, server, "tam.a", "password-a");
  client_init (&b, server, "tam.b", "password-b");
  client_sync (&a);
  client_sync (&b);
  g_assert_cmpuint (count_kind (&a, "customer", NULL), ==, 1);
  g_assert_cmpuint (count_kind (&a, "case", "cust-a"), ==, N_CASES);
  g_assert_cmpuint (count_kind (&a, "contact", "cust-a"), ==, 1);
  events_a = count_kind (&a, "case_event", NULL);
  g_assert_cmpuint (events_a, ==, N_CASES);  /* each case's comment */
  g_assert_cmpuint (count_kind (&b, "customer", NULL), ==, 1);
  g_assert_cmpuint (count_kind (&b, "case", NULL), ==, 0);
  g_assert_cmpuint (count_kind (&b, "case_event", NULL), ==, 0);

  /* A edits a case offline; the edit waits in A's outbox. */
  {
    g_autoptr(JsonNode) patch = json_from_string ("{\"title\":\"Edited offline\"}", &error);
    g_autoptr(JsonNode) stored = sd_local_store_get (a.store, "case", edited_id, &error);

    g_assert_no_error (error);
    g_assert_cmpint (sd_local_store_enqueue (a.store, SD_OUTBOX_OP_UPDATE, "case", edited_id, patch,
                                             json_object_get_int_member (json_node_get_object (stored), "version"),
                                             &error), >, 0);
    g_assert_no_error (error);
  }

  {
    g_autoptr(Reply) reply = request (server, "POST", "/auth/token", NULL,
                                      "{\"login\":\"tam.b\",\"password\":\"password-b\"}");
    g_autofree char *token_b = g_strdup (member_string (reply, "token"));

    me_b = request (server, "GET", "/me", token_b, NULL);
    tam_b = g_strdup (member_string (me_b, "id"));
  }
  {
    g_autofree char *body = g_strdup_printf ("{\"to\":\"%s\"}", tam_b);

    moved = request (server, "POST", reassign_path, admin, body);
  }
  assert_status (moved, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (moved), "customers"), ==, 1);

  /* A's copy forgets cust-a and all under it; the unsent edit is refused
   * (A no longer sees the case) and waits for A's decision. */
  client_sync (&a);
  g_assert_cmpuint (count_kind (&a, "customer", NULL), ==, 0);
  g_assert_cmpuint (count_kind (&a, "contact", NULL), ==, 0);
  g_assert_cmpuint (count_kind (&a, "case_event", NULL), ==, 0);
  g_assert_cmpuint (count_kind (&a, "sla_record", NULL), ==, 0);
  g_assert_cmpuint (count_outbox (&a, SD_OUTBOX_STATE_PENDING), ==, 0);
  g_assert_cmpuint (count_outbox (&a, SD_OUTBOX_STATE_NEEDS_ATTENTION), ==, 1);
  /* Only the edited case is left, as A's unsent version. */
  g_assert_cmpuint (count_kind (&a, "case", NULL), ==, 1);
  {
    g_autoptr(JsonNode) left = sd_local_store_get (a.store, "case", edited_id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (left), "title"), ==, "Edited offline");
  }

  /* B's copy has both customers and everything of cust-a. */
  client_sync (&b);
  g_assert_cmpuint (count_kind (&b, "customer", NULL), ==, 2);
  g_assert_cmpuint (count_kind (&b, "case", "cust-a"), ==, N_CASES);
  g_assert_cmpuint (count_kind (&b, "case", NULL), ==, N_CASES);
  g_assert_cmpuint (count_kind (&b, "contact", "cust-a"), ==, 1);
  g_assert_cmpuint (count_kind (&b, "case_event", NULL), ==, events_a);
  g_assert_cmpuint (count_kind (&b, "sla_record", NULL), ==, count_kind (&b, "case", NULL));

  /* Given back, A has it all again; B forgets it. */
  {
    g_autofree char *back_path = g_strdup_printf ("/users/%s/reassign", tam_b);
    g_autofree char *body = g_strdup_printf ("{\"to\":\"%s\"}", tam_a);
    g_autoptr(Reply) back = request (server, "POST", back_path, admin, body);

    assert_status (back, 200);
  }
  client_sync (&a);
  client_sync (&b);
  g_assert_cmpuint (count_kind (&a, "customer", NULL), ==, 2);
  g_assert_cmpuint (count_kind (&a, "case", NULL), ==, N_CASES);
  g_assert_cmpuint (count_kind (&a, "case_event", NULL), ==, events_a);
  g_assert_cmpuint (count_kind (&b, "customer", NULL), ==, 0);
  g_assert_cmpuint (count_kind (&b, "case", NULL), ==, 0);
  g_assert_cmpuint (count_kind (&b, "case_event", NULL), ==, 0);
}

/* An admin's edit of a customer's TAM moves it the same way. */
static void
test_edited_tam_moves (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  g_autofree char *token_a = sign_in (server, "tam.a", "password-a");
  g_autofree char *body = case_body ("cust-a", 3, now_s () - 600);
  g_autoptr(Reply) created = request (server, "POST", "/cases", token_a, body);
  g_autoptr(Reply) customer = NULL;
  g_autoptr(Reply) edited = NULL;
  g_autoptr(Reply) other = NULL;
  g_auto(Client) a = { 0 };
  g_auto(Client) b = { 0 };

  assert_status (created, 201);
  client_init (&a, server, "tam.a", "password-a");
  client_init (&b, server, "tam.b", "password-b");
  client_sync (&a);
  client_sync (&b);
  g_assert_cmpuint (count_kind (&a, "case", NULL), ==, 1);
  g_assert_cmpuint (count_kind (&b, "case", NULL), ==, 0);

  customer = request (server, "GET", "/customers/cust-a", admin, NULL);
  other = request (server, "GET", "/customers/cust-b", admin, NULL);
  {
    g_autofree char *patch = g_strdup_printf ("{\"tam_id\":\"%s\"}", member_string (other, "tam_id"));

    edited = request_patch (server, "/customers/cust-a", admin,
                            json_object_get_int_member (reply_object (customer), "version"), patch);
  }
  assert_status (edited, 200);
  client_sync (&a);
  client_sync (&b);
  g_assert_cmpuint (count_kind (&a, "customer", NULL), ==, 0);
  g_assert_cmpuint (count_kind (&a, "case", NULL), ==, 0);
  g_assert_cmpuint (count_kind (&b, "customer", NULL), ==, 2);
  g_assert_cmpuint (count_kind (&b, "case", NULL), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/sync/reassigned-customer-moves", test_reassigned_customer_moves);
  g_test_add_func ("/sync/edited-tam-moves", test_edited_tam_moves);
  return server_test_run ();
}
