/* supportdesk.h — libsupportdesk, the GTK-free core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-enums.h"
#include "sd-error.h"
#include "sd-json.h"
#include "sd-time.h"
