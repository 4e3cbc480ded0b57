/* sd-request-body.h — what the server does to a request body before the
 * entity codecs see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A copy of @object without the members in @dropped (those clients may send
 * back but not set: a kind's read_only in sd-kind.h). */
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
