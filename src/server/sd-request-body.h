/* sd-request-body.h — what the server does to a request body before the
 * entity codecs see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Members clients may send back but never set. */
extern const char * const sd_request_body_case_read_only[];
extern const char * const sd_request_body_entity_read_only[];
/* What a case patch skips: the read-only members and "reason", which goes
 * to the timeline. */
extern const char * const sd_request_body_case_patch_ignored[];

/* A copy of @object without the members in @dropped (those clients may send
 * back but not set). */
JsonNode *sd_request_body_without (JsonObject          *object,
                                   const char * const  *dropped);

/* Applies @patch to @target as a JSON merge patch: a member replaces, null
 * removes. Members in @ignored are skipped; members in @immutable may only
 * repeat their current value. Fails naming "@path.member" otherwise, with
 * @target possibly half-patched (work on a copy). */
gboolean  sd_request_body_merge   (JsonObject          *target,
                                   JsonObject          *patch,
                                   const char          *path,
                                   const char * const  *immutable,
                                   const char * const  *ignored,
                                   GError             **error);

G_END_DECLS
