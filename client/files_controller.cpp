#include "files_controller.h"

#include "chat_client_private.h"
#include "file_downloads.h"
#include "file_image.h"
#include "file_image_provider.h"
#include "file_names.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMimeData>
#include <QMimeDatabase>
#include <QPointer>
#include <QSaveFile>
#include <QThreadPool>

namespace confab::client {

namespace {

// The declared type: sniffed for images (what the bytes are), else by name
// and content as the desktop would.
QString mimeFor(const QString& path)
{
    const QString image = files::mimeOf(files::inspectImageFile(path).type);
    if (!image.isEmpty())
        return image;
    const QString name = QMimeDatabase().mimeTypeForFile(path).name();
    return name.isEmpty() ? QStringLiteral("application/octet-stream") : name.toLower();
}

struct Preparation {
    QString mime;
    QSize imageSize;
    QString thumbnailPath;
    QString thumbnailMime;
};

// Worker thread: the type, and for an image within the budget a thumbnail
// written next to the store.
Preparation prepareFile(const QString& path, const QString& thumbnailBase)
{
    Preparation out;
    out.mime = mimeFor(path);
    if (!out.mime.startsWith(QLatin1String("image/")))
        return out;
    const files::Thumbnail thumb = files::makeThumbnail(path);
    if (thumb.bytes.isEmpty())
        return out; // an image Confab cannot decode travels as a plain file
    const QString thumbPath =
        thumbnailBase +
        (thumb.mime == QLatin1String("image/png") ? QStringLiteral(".png") : QStringLiteral(".jpg"));
    QSaveFile file(thumbPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(thumb.bytes) != thumb.bytes.size() || !file.commit())
        return out;
    out.imageSize = thumb.sourceSize;
    out.thumbnailPath = thumbPath;
    out.thumbnailMime = thumb.mime;
    return out;
}

} // namespace

FilesController::FilesController(ClientCore* core)
    : d(core)
    , m_pending(std::make_unique<AttachmentListModel>())
{
    connect(d->conversation.get(), &ConversationController::roomChanged, this, [this] {
        m_pending->clear();
        setError({});
    });
    m_cache = FileImageProvider::registerCacheDirectory(d->downloads->cacheDirectory());
    // What I made for a send (a pasted PNG, thumbnails) goes with it; files
    // the user chose are theirs and stay.
    connect(d->outbox.get(), &Outbox::filesReleased, this, [this](const QList<OutgoingFile>& files) {
        const QString mine = QDir(workDirectory()).absolutePath() + u'/';
        for (const OutgoingFile& f : files) {
            for (const QString& path : {f.path, f.thumbnailPath}) {
                if (!path.isEmpty() && QFileInfo(path).absoluteFilePath().startsWith(mine))
                    QFile::remove(path);
            }
        }
    });
    // File ids belong to a server: each account of the profile has a cache
    // of its own, so another server's file 7 is never shown for this one's.
    connect(d->session.get(), &Session::authenticated, this, [this](const User& user, const QString&) {
        const QByteArray account =
            d->session->serverUrl().toString().toUtf8() + '#' + QByteArray::number(user.id);
        const QString dir =
            QFileInfo(d->downloads->cacheDirectory())
                .dir()
                .filePath(QString::fromLatin1(
                    QCryptographicHash::hash(account, QCryptographicHash::Sha256).toHex().left(16)));
        if (dir == d->downloads->cacheDirectory())
            return;
        d->downloads->setCacheDirectory(dir);
        FileImageProvider::unregisterCacheDirectory(m_cache);
        m_cache = FileImageProvider::registerCacheDirectory(dir);
        ++m_revision;
        emit revisionChanged();
    });
    connect(d->downloads.get(), &FileDownloads::finished, this, [this](Id fileId, const QString& path) {
        ++m_revision;
        emit revisionChanged();
        for (const auto& then : m_waiting.take(fileId))
            then(path);
    });
    connect(d->downloads.get(), &FileDownloads::failed, this, [this](Id fileId, const Error& error) {
        if (m_waiting.remove(fileId) > 0)
            setError(tr("The file could not be downloaded: %1").arg(describeError(error)));
    });
}

QString FilesController::cacheDirectory() const
{
    return d->downloads->cacheDirectory();
}

QString FilesController::imageSource(double fileId)
{
    const Id id = Id(fileId);
    if (id <= 0)
        return {};
    if (!d->downloads->cachedPath(id).isEmpty())
        return QStringLiteral("image://confabfile/%1/%2").arg(m_cache).arg(id);
    d->downloads->fetch(id);
    return {};
}

void FilesController::whenCached(Id fileId, std::function<void(const QString&)> then)
{
    const QString cached = d->downloads->cachedPath(fileId);
    if (!cached.isEmpty())
        return then(cached);
    m_waiting[fileId].append(std::move(then));
    d->downloads->fetch(fileId);
}

void FilesController::saveFile(double fileId, const QString& name, const QUrl& folder)
{
    setError({});
    if (!folder.isLocalFile() || fileId <= 0)
        return;
    const QString dir = folder.toLocalFile();
    QPointer<FilesController> self(this);
    whenCached(Id(fileId), [self, fileId, name, dir](const QString& cached) {
        // Copying 25 MB takes a moment: on a worker.
        QThreadPool::globalInstance()->start([self, fileId, name, dir, cached] {
            const QString target = files::savePathIn(dir, name);
            QFile out(target);
            QFile in(cached);
            bool ok = !target.isEmpty() && in.open(QIODevice::ReadOnly) &&
                      out.open(QIODevice::WriteOnly | QIODevice::NewOnly);
            while (ok && !in.atEnd()) {
                const QByteArray block = in.read(1 << 20);
                ok = !block.isEmpty() && out.write(block) == block.size();
            }
            ok = ok && out.flush();
            if (!ok && out.isOpen())
                out.remove();
            QMetaObject::invokeMethod(QCoreApplication::instance(), [self, fileId, target, ok] {
                if (!self)
                    return;
                if (ok)
                    emit self->saved(fileId, target);
                else
                    self->setError(tr("The file could not be saved there."));
            });
        });
    });
}

bool FilesController::canOpen(const QString& name, const QString& mime) const
{
    return files::isSafeToOpen(name, mime);
}

void FilesController::openFile(double fileId, const QString& name, const QString& mime)
{
    setError({});
    if (fileId <= 0)
        return;
    if (!canOpen(name, mime)) {
        setError(tr("Confab does not open files that could run as programs; save it instead."));
        return;
    }
    const QString dir = workDirectory() + QStringLiteral("/open/") + QString::number(Id(fileId));
    QPointer<FilesController> self(this);
    whenCached(Id(fileId), [self, fileId, name, dir](const QString& cached) {
        QDir().mkpath(dir);
        const QString target = QDir(dir).filePath(files::safeFileName(name));
        if (!QFileInfo::exists(target) && !QFile::copy(cached, target)) {
            if (self)
                self->setError(tr("The file could not be opened."));
            return;
        }
        QDesktopServices::openUrl(QUrl::fromLocalFile(target));
        if (self)
            emit self->opened(fileId, target);
    });
}

FilesController::~FilesController()
{
    FileImageProvider::unregisterCacheDirectory(m_cache);
}

QString FilesController::workDirectory() const
{
    const QString store =
        d->options.storePath.isEmpty() ? LocalStore::pathFor(d->options.profile) : d->options.storePath;
    return QFileInfo(store).dir().filePath(QStringLiteral("files"));
}

QString FilesController::nextKey()
{
    return QStringLiteral("a%1-%2").arg(QCoreApplication::applicationPid()).arg(++m_serial);
}

void FilesController::setError(const QString& message)
{
    if (m_error == message)
        return;
    m_error = message;
    emit errorMessageChanged();
}

void FilesController::addFiles(const QList<QUrl>& urls)
{
    setError({});
    for (const QUrl& url : urls) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        addLocalFile(path, QFileInfo(path).fileName());
    }
}

void FilesController::addLocalFile(const QString& path, const QString& name)
{
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        setError(tr("%1 cannot be read.").arg(name));
        return;
    }
    if (info.size() < 1) {
        setError(tr("%1 is empty.").arg(name));
        return;
    }
    if (info.size() > kMaxFileBytes) {
        setError(tr("%1 is too large: files may be at most %2.").arg(name, files::humanSize(kMaxFileBytes)));
        return;
    }
    if (m_pending->count() >= AttachmentListModel::kMaxAttachments) {
        setError(tr("A message may carry at most %1 files.").arg(AttachmentListModel::kMaxAttachments));
        return;
    }
    PendingAttachment item;
    item.key = nextKey();
    item.path = info.absoluteFilePath();
    item.name = name.left(255);
    item.size = info.size();
    item.mime = QStringLiteral("application/octet-stream");
    item.state = PendingAttachment::State::Preparing;
    if (!m_pending->add(item))
        return;
    prepare(item.key, item.path);
}

void FilesController::prepare(const QString& key, const QString& path)
{
    QDir().mkpath(workDirectory() + QStringLiteral("/thumbnails"));
    const QString base = workDirectory() + QStringLiteral("/thumbnails/") + key;
    ++m_preparing;
    emit preparingChanged();
    QPointer<FilesController> self(this);
    QThreadPool::globalInstance()->start([self, key, path, base] {
        const Preparation prepared = prepareFile(path, base);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, key, prepared] {
            if (!self)
                return;
            --self->m_preparing;
            if (const PendingAttachment* row = self->m_pending->find(key)) {
                PendingAttachment item = *row;
                item.mime = prepared.mime;
                item.imageSize = prepared.imageSize;
                item.thumbnailPath = prepared.thumbnailPath;
                item.thumbnailMime = prepared.thumbnailMime;
                item.state = PendingAttachment::State::Ready;
                self->m_pending->update(item);
            }
            emit self->preparingChanged();
            emit self->prepared(key);
        });
    });
}

bool FilesController::pasteImage()
{
    const QClipboard* clipboard = QGuiApplication::clipboard();
    if (!clipboard)
        return false;
    // Text with a picture of itself (office suites copy both) is pasted as
    // text; an image alone (a screenshot, "Copy image") becomes a file.
    const QMimeData* data = clipboard->mimeData();
    if (!data || !data->hasImage() || data->hasText())
        return false;
    const QImage image = clipboard->image();
    if (image.isNull())
        return false;
    addImage(image);
    return true;
}

void FilesController::addImage(const QImage& image)
{
    setError({});
    if (image.isNull() || !files::declaredSizeFits(image.width(), image.height())) {
        setError(tr("The image is too large to attach."));
        return;
    }
    if (m_pending->count() >= AttachmentListModel::kMaxAttachments) {
        setError(tr("A message may carry at most %1 files.").arg(AttachmentListModel::kMaxAttachments));
        return;
    }
    const QString dir = workDirectory() + QStringLiteral("/pasted");
    QDir().mkpath(dir);
    const QString name =
        QStringLiteral("Pasted image %1.png")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH.mm.ss")));
    const QString key = nextKey();
    const QString path = dir + u'/' + key + QStringLiteral(".png");
    ++m_preparing;
    emit preparingChanged();
    // Encoding a large screenshot takes a while: off the GUI thread. The row
    // appears at once, its size once the PNG is written.
    PendingAttachment item;
    item.key = key;
    item.path = path;
    item.name = name;
    item.mime = QStringLiteral("image/png");
    item.state = PendingAttachment::State::Preparing;
    m_pending->add(item);
    QPointer<FilesController> self(this);
    QThreadPool::globalInstance()->start([self, key, path, image] {
        QSaveFile file(path);
        const bool ok = file.open(QIODevice::WriteOnly) && image.save(&file, "PNG") && file.commit();
        const qint64 size = ok ? QFileInfo(path).size() : 0;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, key, path, ok, size] {
            if (!self)
                return;
            --self->m_preparing;
            emit self->preparingChanged();
            const PendingAttachment* row = self->m_pending->find(key);
            if (!row)
                return;
            if (!ok || size > kMaxFileBytes) {
                self->m_pending->remove(key);
                self->setError(ok ? tr("The image is too large to attach.")
                                  : tr("The image could not be saved."));
                emit self->prepared(key);
                return;
            }
            PendingAttachment written = *row;
            written.size = size;
            self->m_pending->update(written);
            self->prepare(key, path);
        });
    });
}

void FilesController::remove(const QString& key)
{
    const PendingAttachment* row = m_pending->find(key);
    if (!row)
        return;
    if (!row->thumbnailPath.isEmpty())
        QFile::remove(row->thumbnailPath);
    if (row->path.startsWith(workDirectory() + QStringLiteral("/pasted/")))
        QFile::remove(row->path); // mine, made by the paste; chosen files are the user's
    m_pending->remove(key);
}

QList<PendingAttachment> FilesController::takePending()
{
    const QList<PendingAttachment> items = m_pending->items();
    m_pending->clear();
    return items;
}

} // namespace confab::client
