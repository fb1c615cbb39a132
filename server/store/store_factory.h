#pragma once

#include "store/database_url.h"
#include "store/store.h"

#include <memory>

namespace confab::server {

// The backend for a URL, not yet opened. Errors name what is missing (e.g. the
// Qt SQL driver) or unsupported.
Result<std::shared_ptr<Store>> createStore(const DatabaseUrl& url);

} // namespace confab::server
