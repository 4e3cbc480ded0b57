/* test-model-mutation.c — every decoder, fed 10,000 randomly damaged
 * canonical documents, either succeeds or fails with an SD_ERROR; what it
 * accepts it writes back in a form it accepts again, unchanged.
 *
 * The mutations are drawn from GTest's seeded generator: rerun a failure
 * with the printed --seed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-test-util.h"

#define N_ROUNDS 10000

typedef struct {
  const char    *name;
  ModelFromJson  from_json;
  ModelToJson    to_json;
} Codec;

static const Codec codecs[] = {
  { "customer", MODEL_FROM_JSON (sd_customer_from_json), MODEL_TO_JSON (sd_customer_to_json) },
  { "user", MODEL_FROM_JSON (sd_user_from_json), MODEL_TO_JSON (sd_user_to_json) },
  { "case", MODEL_FROM_JSON (sd_case_from_json), MODEL_TO_JSON (sd_case_to_json) },
  { "case_event", MODEL_FROM_JSON (sd_case_event_from_json), MODEL_TO_JSON (sd_case_event_to_json) },
  { "health_check", MODEL_FROM_JSON (sd_health_check_from_json), MODEL_TO_JSON (sd_health_check_to_json) },
  { "checklist_item", MODEL_FROM_JSON (sd_checklist_item_from_json), MODEL_TO_JSON (sd_checklist_item_to_json) },
  { "signature_change", MODEL_FROM_JSON (sd_signature_change_from_json), MODEL_TO_JSON (sd_signature_change_to_json) },
  { "private_patch", MODEL_FROM_JSON (sd_private_patch_from_json), MODEL_TO_JSON (sd_private_patch_to_json) },
  { "database_release", MODEL_FROM_JSON (sd_database_release_from_json), MODEL_TO_JSON (sd_database_release_to_json) },
};

typedef struct {
  const char *file;
  guint       codec;   /* index into codecs[] */
} Document;

static const Document documents[] = {
  { "customer.json", 0 },
  { "user.json", 1 },
  { "case-incident.json", 2 },
  { "case-signature-change.json", 2 },
  { "case-private-patch.json", 2 },
  { "case-database-release.json", 2 },
  { "case-event-comment.json", 3 },
  { "case-event-status-change.json", 3 },
  { "case-event-severity-change.json", 3 },
  { "case-event-response-given.json", 3 },
  { "case-event-daily-report-sent.json", 3 },
  { "case-event-progress-step.json", 3 },
  { "health-check.json", 4 },
};

/* Values that sit on the edges of what the codecs accept. */
static const char * const replacements[] = {
  "null", "true", "false", "0", "-1", "1", "4", "5", "7", "9223372036854775807",
  "-9223372036854775808", "1.5", "1e3", "\"\"", "\" \"", "\"x\"", "{}", "[]",
  "[1, \"a\", null]", "{\"a\": 1}", "[[[]]]",
  "\"new\"", "\"waiting_customer\"", "\"closed\"", "\"incident\"", "\"signature_change\"",
  "\"private_patch\"", "\"database_release\"", "\"service_request\"", "\"pass\"",
  "\"not_applicable\"", "\"msa_enterprise\"", "\"tam\"", "\"remote\"", "\"email\"",
  "\"status_change\"", "\"progress_step\"", "\"comment\"", "\"released\"",
  "\"2026-02-14T06:00:00Z\"", "\"2026-02-14T14:00:00+08:00\"", "\"2026-02-14T06:00:00\"",
  "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"9999-12-31T23:00:00-05:00\"",
  "\"0001-01-01T00:30:00+01:00\"", "\"2026-02-14T06:00:00.5Z\"", "\"2026-02-30T00:00:00Z\"",
  "\"2026-02-28\"", "\"2026-02-30\"", "\"0000-01-01\"", "\"0001-01-01\"", "\"9999-12-31\"",
  "\" 026-01-01\"", "\"+026-01-01\"",
  "\"3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b\"", "\"SD-2026-00042\"", "\"UPD-03\"",
  "\"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"",
  "\"Asia/Shanghai\"", "\"UTC\"", "\"../zoneinfo\"", "\"李伟\"", "\"a@b\"",
  ("{\"state\": \"met\", \"clock\": \"24x7\", \"target\": 1, \"elapsed\": 1, \"remaining\": 0,"
   " \"due\": \"2026-02-14T06:00:00Z\"}"),
  "{\"from\": \"new\", \"to\": \"in_progress\"}", "{\"from\": 1, \"to\": 2, \"reason\": \"r\"}",
  "{\"step\": \"s\"}", "{\"channel\": \"phone\"}",
  "{\"requested_change\": \"add_detection\", \"hash\": \"md5:00000000000000000000000000000000\"}",
  "{\"reason\": \"r\", \"urgency\": \"high\"}",
  "{\"product\": \"p\", \"product_version\": \"1\", \"lifecycle_stage\": \"end_of_life\", \"problem\": \"x\"}",
  "{\"key\": \"ABC-12\", \"area\": \"a\", \"title\": \"t\", \"expected\": \"e\", \"result\": \"fail\"}",
};

/* Names the decoders know somewhere, to add in the wrong place. */
static const char * const member_names[] = {
  "id", "kind", "type", "status", "details", "data", "sla", "score", "items", "from", "to",
  "severity", "reported_at", "due", "version", "bogus", "",
};

static JsonNode *
parse_value (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

/* Every node of the tree that can be changed: its container and either a
 * member name or an element index. */
typedef struct {
  JsonNode   *container;
  const char *member;
  guint       index;
} Slot;

static void
collect_slots (JsonNode *node,
               GArray   *slots)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *child;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &child))
        {
          g_array_append_vals (slots, &(Slot) { node, name, 0 }, 1);
          collect_slots (child, slots);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_array_append_vals (slots, &(Slot) { node, NULL, i }, 1);
          collect_slots (json_array_get_element (array, i), slots);
        }
    }
}

static JsonNode *
slot_get (const Slot *slot)
{
  if (slot->member != NULL)
    return json_object_get_member (json_node_get_object (slot->container), slot->member);
  return json_array_get_element (json_node_get_array (slot->container), slot->index);
}

/* Arrays cannot replace an element in place: rebuild them. */
static void
array_replace (JsonNode *container,
               guint     index,
               JsonNode *value)
{
  JsonArray *array = json_node_get_array (container);
  g_autoptr(JsonArray) copy = json_array_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (i == index)
        {
          if (value != NULL)
            json_array_add_element (copy, value);
        }
      else
        json_array_add_element (copy, json_node_copy (json_array_get_element (array, i)));
    }
  json_node_set_array (container, copy);
}

static void
slot_set (const Slot *slot,
          JsonNode   *value)
{
  if (slot->member != NULL)
    {
      if (value != NULL)
        json_object_set_member (json_node_get_object (slot->container), slot->member, value);
      else
        json_object_remove_member (json_node_get_object (slot->container), slot->member);
    }
  else
    array_replace (slot->container, slot->index, value);
}

static char *
mutate_string (const char *text)
{
  GString *s = g_string_new (text);
  guint op = g_test_rand_int_range (0, 4);
  guint at = s->len > 0 ? g_test_rand_int_range (0, s->len) : 0;

  switch (op)
    {
    case 0:  /* change one byte to another ASCII character */
      if (s->len > 0)
        s->str[at] = (char) g_test_rand_int_range (0x20, 0x7f);
      break;
    case 1:  /* truncate */
      g_string_truncate (s, at);
      break;
    case 2:  /* insert a character */
      g_string_insert_c (s, at, "0-:TZ+ aZ_9."[g_test_rand_int_range (0, 12)]);
      break;
    default: /* drop one character */
      if (s->len > 0)
        g_string_erase (s, at, 1);
      break;
    }

  /* Keep it UTF-8: a cut inside a multi-byte character is mended. */
  if (!g_utf8_validate (s->str, s->len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (s->str, s->len);

      g_string_assign (s, valid);
    }
  return g_string_free (s, FALSE);
}

static void
mutate (JsonNode *root)
{
  g_autoptr(GArray) slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  const Slot *slot;
  JsonNode *current;

  collect_slots (root, slots);
  if (slots->len == 0)
    return;
  slot = &g_array_index (slots, Slot, g_test_rand_int_range (0, slots->len));
  current = slot_get (slot);

  switch (g_test_rand_int_range (0, 5))
    {
    case 0:
      slot_set (slot, NULL);
      break;

    case 1:
    case 2:
      slot_set (slot, parse_value (replacements[g_test_rand_int_range (0, G_N_ELEMENTS (replacements))]));
      break;

    case 3:
      if (JSON_NODE_HOLDS_VALUE (current) && json_node_get_value_type (current) == G_TYPE_STRING)
        {
          g_autofree char *text = mutate_string (json_node_get_string (current));
          JsonNode *value = json_node_new (JSON_NODE_VALUE);

          json_node_set_string (value, text);
          slot_set (slot, value);
        }
      else if (JSON_NODE_HOLDS_VALUE (current) && json_node_get_value_type (current) == G_TYPE_INT64)
        {
          JsonNode *value = json_node_new (JSON_NODE_VALUE);
          gint64 number = json_node_get_int (current);
          gint64 delta = g_test_rand_int_range (-2, 3);

          if ((delta > 0 && number > G_MAXINT64 - delta) || (delta < 0 && number < G_MININT64 - delta))
            delta = -delta;
          json_node_set_int (value, number + delta);
          slot_set (slot, value);
        }
      break;

    default:
      if (JSON_NODE_HOLDS_OBJECT (slot->container))
        json_object_set_member (json_node_get_object (slot->container),
                                member_names[g_test_rand_int_range (0, G_N_ELEMENTS (member_names))],
                                parse_value (replacements[g_test_rand_int_range (0, G_N_ELEMENTS (replacements))]));
      break;
    }
}

/* Returns TRUE when the decoder accepted the node. */
static gboolean
check_decoder (const Codec *codec,
               JsonNode    *node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  g_autoptr(GObject) again = NULL;
  g_autoptr(JsonNode) encoded = NULL;
  g_autoptr(JsonNode) encoded_again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  object = codec->from_json (node, NULL, &error);
  if (object == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == SD_ERROR);
      g_assert_nonnull (error->message);
      return FALSE;
    }
  g_assert_no_error (error);

  /* What was accepted is written back in a form accepted again, and the
   * second round changes nothing. */
  encoded = codec->to_json (object);
  text = sd_json_to_string (encoded, FALSE);
  again = codec->from_json (encoded, NULL, &error);
  if (again == NULL)
    g_test_message ("%s: re-reading its own output failed: %s\n%s",
                    codec->name, error->message, text);
  g_assert_no_error (error);
  encoded_again = codec->to_json (again);
  text_again = sd_json_to_string (encoded_again, FALSE);
  g_assert_cmpstr (text, ==, text_again);
  return TRUE;
}

static void
test_mutation (void)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  guint accepted = 0;
  guint refused = 0;

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    g_ptr_array_add (texts, model_load_text (documents[i].file));

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      guint d = g_test_rand_int_range (0, G_N_ELEMENTS (documents));
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(JsonNode) reparsed = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      guint n_mutations = g_test_rand_int_range (1, 4);

      {
        g_autoptr(JsonParser) parser = json_parser_new ();

        g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (texts, d), -1, NULL));
        root = json_node_copy (json_parser_get_root (parser));
      }

      for (guint m = 0; m < n_mutations; m++)
        mutate (root);

      /* Through the text form, as the server and the sync engine see it. */
      text = sd_json_to_string (root, FALSE);
      reparsed = sd_json_parse (text, -1, &error);
      if (reparsed == NULL)
        g_test_message ("%s", text);
      g_assert_no_error (error);

      if (check_decoder (&codecs[documents[d].codec], reparsed))
        accepted++;
      else
        refused++;

      /* The other decoders must cope with a foreign document too. */
      for (guint c = 0; c < G_N_ELEMENTS (codecs); c++)
        if (c != documents[d].codec)
          check_decoder (&codecs[c], reparsed);
    }

  g_test_message ("%u mutated documents accepted, %u refused", accepted, refused);
  /* Both outcomes must occur, or the mutations test nothing. */
  g_assert_cmpuint (accepted, >, N_ROUNDS / 50);
  g_assert_cmpuint (refused, >, N_ROUNDS / 2);
}

/* Whole-document damage: truncation at every length never crashes. */
static void
test_truncation (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autofree char *text = model_load_text (documents[i].file);
      gsize length = strlen (text);

      for (gsize cut = 0; cut < length; cut += 1 + cut / 64)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) node = sd_json_parse (text, cut, &error);

          if (node != NULL)
            check_decoder (&codecs[documents[i].codec], node);
          else
            g_assert_error (error, SD_ERROR, SD_ERROR_SYNTAX);
        }
    }
}

static void
ignore_debug_cb (const char     *domain,
                 GLogLevelFlags  level,
                 const char     *message,
                 gpointer        user_data)
{
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Thousands of dropped SLA snapshots are expected here. */
  g_log_set_handler ("sd-case", G_LOG_LEVEL_DEBUG, ignore_debug_cb, NULL);
  g_test_add_func ("/model/mutation", test_mutation);
  g_test_add_func ("/model/truncation", test_truncation);
  return g_test_run ();
}
