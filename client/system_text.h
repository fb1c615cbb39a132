#pragma once

#include "protocol/types.h"

#include <QString>

#include <functional>

namespace confab::client {

// The one line a system message (kind "system") shows in the timeline and
// as a room's preview: "Mei added Dave and Li", "Bob renamed the group to
// “x”". Plain text: names and the group's name and topic are other people's
// input and are never read as markup (the views show it as PlainText).
// `nameOf` gives a user's display name (UserDirectory::labelIn for the room);
// the signed-in user `self` reads "You".
QString systemText(const SystemInfo& info, Id self, const std::function<QString(Id)>& nameOf);

// "Dave", "Dave and Li", "Dave, Li and Mei" (names as given, in order).
QString joinNames(const QStringList& names);

} // namespace confab::client
