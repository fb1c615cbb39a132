#pragma once

#include <QQuickAsyncImageProvider>

namespace confab::client {

// image://confabfile/<fileId>: an image from the profile's file cache
// (FileDownloads wrote it and checked its SHA-256), decoded on a worker
// thread, never on the GUI thread, with every check of file_image.h first:
// the type sniffed, the header's dimensions held to the pixel budget before
// anything is decoded, an allocation limit, and scaled to the requested
// size (at most 4096 on the long side). A file that fails gives an error:
// the view shows its placeholder.
class FileImageProvider : public QQuickAsyncImageProvider {
public:
    static constexpr int kMaxShownSide = 4096;

    // The cache directory (FileDownloads::cacheDirectory()); one per process,
    // as the avatar cache: a process runs one profile.
    static void setCacheDirectory(const QString& dir);
    static QString cacheDirectory();

    QQuickImageResponse* requestImageResponse(const QString& id, const QSize& requestedSize) override;
};

} // namespace confab::client
