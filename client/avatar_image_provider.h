#pragma once

#include <QQuickAsyncImageProvider>

namespace confab::client {

// image://avatar/<avatarId>: a picture from the avatar cache, read, checked
// (avatar::readForeignFile: PNG or JPEG, file size and dimensions before
// decoding) and drawn round on a worker thread, never on the GUI thread. A
// file that fails the checks is deleted and reported to AvatarRegistry, and
// the Avatar shows its letter.
class AvatarImageProvider : public QQuickAsyncImageProvider {
public:
    QQuickImageResponse* requestImageResponse(const QString& id, const QSize& requestedSize) override;
};

} // namespace confab::client
