/* sd-error.h — the error domain of libsupportdesk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_ERROR (sd_error_quark ())

typedef enum {
  SD_ERROR_SYNTAX,         /* malformed JSON / iCalendar text */
  SD_ERROR_MISSING_FIELD,  /* a required field is absent */
  SD_ERROR_WRONG_TYPE,     /* a field has the wrong JSON type */
  SD_ERROR_INVALID_VALUE,  /* right type, impossible value */
  SD_ERROR_UNKNOWN_FIELD,  /* a field the schema does not know */
} SdError;

GQuark sd_error_quark (void);

G_END_DECLS
