#pragma once

namespace confab::server {

// Keeps freed memory in the allocator instead of handing it back to the
// kernel after every burst (issue 17; docs in bench/README.md, "Malloc").
// Call once, first thing in main(). A no-op outside glibc.
void tuneMallocForServer();

} // namespace confab::server
