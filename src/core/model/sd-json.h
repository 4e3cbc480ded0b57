/* sd-json.h — strict readers and writers shared by every entity codec
 *
 * Every reader names the offending field in its GError, as a path such as
 * "calendar.exceptions[3].date", so that a bad document is reported
 * precisely by the CLI, the server (400 problem+json) and the sync engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sd-error.h"
#include "sd-time.h"

G_BEGIN_DECLS

/* The deepest nesting of arrays and objects sd_json_parse() accepts. */
#define SD_JSON_MAX_DEPTH 64

/* Parses @data (must be valid UTF-8) and returns its root node. Every
 * JSON document from outside (request and response bodies, imported
 * files) goes through here: nesting deeper than SD_JSON_MAX_DEPTH and a
 * NUL character inside a string (\u0000) are refused with SD_ERROR_SYNTAX
 * before json-glib parses anything. */
JsonNode *sd_json_parse            (const char          *data,
                                    gssize               length,
                                    GError             **error);

/* Returns the node's object, or fails naming @path. */
JsonObject *sd_json_node_get_object (JsonNode           *node,
                                     const char         *path,
                                     GError            **error);

/* Fails with SD_ERROR_UNKNOWN_FIELD when @object has a member that is not
 * in the NULL-terminated @known list. */
gboolean  sd_json_check_fields     (JsonObject          *object,
                                    const char          *path,
                                    const char * const  *known,
                                    GError             **error);

/* Readers. With @required FALSE a missing member (or a JSON null) leaves
 * @out untouched and succeeds. @path is the object's own path ("" or NULL
 * for the root); the field is appended for messages. Returned strings are
 * borrowed from @object. */
gboolean  sd_json_get_string       (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    const char         **out,
                                    GError             **error);
gboolean  sd_json_get_int          (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    gint64               min,
                                    gint64               max,
                                    gint64              *out,
                                    GError             **error);
gboolean  sd_json_get_double       (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    double              *out,
                                    GError             **error);
gboolean  sd_json_get_bool         (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    gboolean            *out,
                                    GError             **error);
/* An RFC 3339 instant with offset → Unix seconds. */
gboolean  sd_json_get_time         (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    gint64              *out,
                                    GError             **error);
/* A "YYYY-MM-DD" date → Julian day. */
gboolean  sd_json_get_date         (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    guint32             *out,
                                    GError             **error);
/* A string from a closed vocabulary, e.g. sd_case_status_from_string. */
typedef gboolean (*SdJsonEnumFromString) (const char *name, int *out);
gboolean  sd_json_get_enum         (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    SdJsonEnumFromString from_string,
                                    int                 *out,
                                    GError             **error);
#define SD_JSON_ENUM(fn) ((SdJsonEnumFromString) (fn))
/* An array member; @out is borrowed. */
gboolean  sd_json_get_array        (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    JsonArray          **out,
                                    GError             **error);
/* A nested object member; @out is borrowed. */
gboolean  sd_json_get_object       (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    JsonObject         **out,
                                    GError             **error);

/* An array of strings; @out receives a newly allocated, NULL-terminated
 * vector (an empty one for []). A bad element is named "field[i]". */
gboolean  sd_json_get_strv         (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    char              ***out,
                                    GError             **error);

/* An entity reference: 1–128 characters from [A-Za-z0-9._:-]. */
gboolean  sd_json_id_is_valid      (const char          *text);
gboolean  sd_json_get_id           (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    const char         **out,
                                    GError             **error);
/* A UUID in its canonical textual form (g_uuid_string_is_valid). */
gboolean  sd_json_get_uuid         (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    const char         **out,
                                    GError             **error);
/* A string that is not empty and not only white space. */
gboolean  sd_json_get_text         (JsonObject          *object,
                                    const char          *path,
                                    const char          *field,
                                    gboolean             required,
                                    const char         **out,
                                    GError             **error);

/* Sets SD_ERROR_INVALID_VALUE naming "path.field" followed by the
 * formatted reason; for checks a codec makes beyond the readers (a
 * malformed identifier, two fields that contradict each other).
 * Always returns FALSE. */
gboolean  sd_json_set_invalid      (GError             **error,
                                    const char          *path,
                                    const char          *field,
                                    const char          *format,
                                    ...) G_GNUC_PRINTF (4, 5);

/* "path.field" or "field" — for nested codecs building their own path. */
char     *sd_json_path_join        (const char          *path,
                                    const char          *field);
/* "path[index]" */
char     *sd_json_path_index       (const char          *path,
                                    guint                index);

/* Writers. */
void      sd_json_builder_add_time (JsonBuilder         *builder,
                                    const char          *field,
                                    gint64               unix_time);
void      sd_json_builder_add_date (JsonBuilder         *builder,
                                    const char          *field,
                                    guint32              julian);
void      sd_json_builder_add_string_or_null (JsonBuilder *builder,
                                              const char  *field,
                                              const char  *value);
void      sd_json_builder_add_strv (JsonBuilder         *builder,
                                    const char          *field,
                                    const char * const  *values);
char     *sd_json_to_string        (JsonNode            *node,
                                    gboolean             pretty);

G_END_DECLS
