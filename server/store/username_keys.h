#pragma once

#include "protocol/result.h"

#include <QSqlDatabase>

namespace confab::server::sql {

// Brings every users row to the current name rules (issue 12): `username` in
// NFC and `username_fold` = validation::usernameKey(username). Rows written
// before those rules may hold a decomposed name ("e" + U+0301) whose fold
// differs from the key of the same name typed precomposed, which let two
// accounts share what everyone reads as one name.
//
// A row whose new key another account already holds keeps its old values
// (both accounts keep working, but the later-normalised one can no longer be
// found by its name at login) and is logged as a warning for the admin.
// Runs inside the caller's transaction: a migration step, and after an
// import (an older export carries the old keys).
Result<void> renormalizeUsernames(const QSqlDatabase& db);

} // namespace confab::server::sql
