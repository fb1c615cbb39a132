#pragma once

#include "protocol/types.h"

#include <QVariantList>
#include <QVariantMap>

namespace confab::client {

struct OutgoingFile;

// How the timeline shows a message's files (issue 16): what the sender
// declared decides the view, and nothing is decoded here.
//   "image": a declared PNG, JPEG or GIF within the pixel budget; shown
//            through its thumbnail (or itself when small and without one);
//   "hugeImage": an image declaring more pixels than Confab decodes: a
//            placeholder, never fetched, never decoded;
//   "file":  everything else, as a card (name, size, type, Save…/Open).
// Each map: {id, name, size, sizeText, mime, badge, kind, width, height,
// previewId (the file to show: the thumbnail, the image, or 0), canOpen,
// localPreview (a pending send's own thumbnail URL, else ""), progress}.
namespace attachment_display {

// Small images without a thumbnail are shown from the file itself.
inline constexpr qint64 kShowWholeImageBytes = 2 * 1024 * 1024;

QVariantMap of(const FileInfo& file);
QVariantList of(const QList<FileInfo>& files);
// A queued send's files, before the server knows them.
QVariantList ofPending(const QList<OutgoingFile>& files, qint64 uploaded);

} // namespace attachment_display
} // namespace confab::client
