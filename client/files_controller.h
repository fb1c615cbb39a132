#pragma once

#include "attachment_list_model.h"

#include <QHash>
#include <QImage>
#include <QObject>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace confab::client {

struct ClientCore;

// Files for QML (ChatClient.files, issue 16), the composer's side: files
// chosen with the paperclip, dropped on the conversation or pasted (an
// image on the clipboard becomes a PNG in the profile) become rows of
// `pending`, each checked (size, type sniffed from the bytes) and, for
// images, given a thumbnail made on a worker thread, never on the GUI
// thread. The rows belong to the open room: switching rooms drops them.
//
// And the timeline's side: images and files of messages are downloaded into
// the profile's cache (FileDownloads) when shown or asked for; Save… copies
// one into a folder the user chose under a name made safe there
// (files::savePathIn: "../../x" stays inside), Open… hands a copy to the
// desktop, unless its type could run as a program.
class FilesController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.files")
    Q_PROPERTY(confab::client::AttachmentListModel* pending READ pending CONSTANT)
    // Why the last file could not be added ("" when it could), for a notice.
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    // Thumbnails still being made: Send waits for them.
    Q_PROPERTY(bool preparing READ preparing NOTIFY preparingChanged)
    // Bumped when a download lands in the cache: imageSource() is asked again.
    Q_PROPERTY(int revision READ revision NOTIFY revisionChanged)

public:
    explicit FilesController(ClientCore* core);
    ~FilesController() override;

    AttachmentListModel* pending() const { return m_pending.get(); }
    QString errorMessage() const { return m_error; }
    bool preparing() const { return m_preparing > 0; }
    int revision() const { return m_revision; }

    // Local files (URLs from a FileDialog or a drop); others are ignored.
    Q_INVOKABLE void addFiles(const QList<QUrl>& urls);
    // Ctrl+V: when the clipboard holds an image, it becomes a pending PNG
    // and true is returned; false leaves the paste to the text field.
    Q_INVOKABLE bool pasteImage();
    Q_INVOKABLE void remove(const QString& key);
    // Pending rows of the room as it was sent: the model is left empty.
    QList<PendingAttachment> takePending();

    // "image://confabfile/<cache>/<id>" when the file is in the cache, else "" (and
    // it is fetched: revisionChanged follows).
    Q_INVOKABLE QString imageSource(double fileId);
    // Downloads when needed, then copies into `folder` (a local URL) as
    // `name` made safe and unique there; saved() or errorMessage.
    Q_INVOKABLE void saveFile(double fileId, const QString& name, const QUrl& folder);
    // Downloads when needed, then opens a copy with the desktop's program
    // for its type; refused for types that could run (canOpen()).
    Q_INVOKABLE void openFile(double fileId, const QString& name, const QString& mime);
    Q_INVOKABLE bool canOpen(const QString& name, const QString& mime) const;
    Q_INVOKABLE void dismissError() { setError({}); }
    // Where downloads are kept (tests).
    QString cacheDirectory() const;

    // An image (from the clipboard, or a test) as a pending PNG.
    void addImage(const QImage& image);
    // A local file under the name the others will see (tests: any name).
    void addFileAs(const QString& path, const QString& name) { addLocalFile(path, name); }
    // Where pasted images and thumbnails are kept (next to the local store).
    QString workDirectory() const;
    // The largest file accepted (the server's --max-file-bytes default).
    static constexpr qint64 kMaxFileBytes = 26'214'400;

signals:
    void errorMessageChanged();
    void preparingChanged();
    // A row's thumbnail is made (or could not be): tests wait for it.
    void prepared(const QString& key);
    void revisionChanged();
    void saved(double fileId, const QString& path);
    void opened(double fileId, const QString& path);

private:
    void addLocalFile(const QString& path, const QString& name);
    void prepare(const QString& key, const QString& path);
    void setError(const QString& message);
    // Runs `then` with the cached path once `fileId` is downloaded.
    void whenCached(Id fileId, std::function<void(const QString& path)> then);
    QString nextKey();

    ClientCore* const d;
    std::unique_ptr<AttachmentListModel> m_pending;
    QString m_error;
    int m_preparing = 0;
    quint64 m_serial = 0;
    int m_revision = 0;
    int m_cache = 0; // FileImageProvider's number for my cache directory
    QHash<Id, QList<std::function<void(const QString&)>>> m_waiting;
};

} // namespace confab::client
