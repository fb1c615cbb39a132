#pragma once

#include <QQuickAsyncImageProvider>

namespace confab::client {

// image://confabfile/<cache>/<fileId>: an image from a profile's file cache
// (FileDownloads wrote it and checked its SHA-256), decoded on a worker
// thread, never on the GUI thread, with every check of file_image.h first:
// the type sniffed, the header's dimensions held to the pixel budget before
// anything is decoded, an allocation limit, and scaled to the requested
// size (at most 4096 on the long side). A file that fails gives an error:
// the view shows its placeholder.
class FileImageProvider : public QQuickAsyncImageProvider {
public:
    static constexpr int kMaxShownSide = 4096;

    // A cache directory (FileDownloads::cacheDirectory()) gets a number for
    // the URLs; one per ChatClient (tests run several in one process).
    static int registerCacheDirectory(const QString& dir);
    static void unregisterCacheDirectory(int cache);
    static QString cacheDirectory(int cache);

    QQuickImageResponse* requestImageResponse(const QString& id, const QSize& requestedSize) override;
};

} // namespace confab::client
