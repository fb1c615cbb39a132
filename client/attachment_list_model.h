#pragma once

#include "protocol/types.h"

#include <QAbstractListModel>
#include <QList>
#include <QSize>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

// One file on its way into a message: chosen, dropped or pasted in the
// composer, its thumbnail made, uploaded, then attached by send_message.
struct PendingAttachment {
    enum class State { Preparing, Ready, Uploading, Uploaded, Failed };

    QString key;  // local, unique while the app runs: names the row
    QString path; // the local file (a pasted image: a PNG in the profile)
    QString name; // what the others see
    qint64 size = 0;
    QString mime;
    QSize imageSize;       // declared width and height; invalid for other files
    QString thumbnailPath; // the thumbnail I made (PNG or JPEG), "" when none
    QString thumbnailMime; // "image/png" or "image/jpeg"
    qint64 sent = 0;       // bytes the server holds
    State state = State::Preparing;
    QString error;      // why it failed, for people
    Id fileId = 0;      // once upload_file answered
    Id thumbnailId = 0; // once the thumbnail is uploaded
};

// The files pending in the composer, as chips: name, human size, type,
// preview, progress and state; × removes one. Rows change in place
// (dataChanged with the roles that changed), never by reset.
class AttachmentListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.files.pending")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Every row uploaded (or none at all): the message may go.
    Q_PROPERTY(bool allUploaded READ allUploaded NOTIFY stateChanged)
public:
    enum class State { Preparing, Ready, Uploading, Uploaded, Failed }; // PendingAttachment::State, for QML
    Q_ENUM(State)

    enum Role {
        KeyRole = Qt::UserRole + 1,
        NameRole,     // plain text: show with Text.PlainText
        SizeRole,     // double, bytes
        SizeTextRole, // "1.4 MB"
        MimeRole,
        IsImageRole,    // bool: has a thumbnail to preview
        PreviewUrlRole, // file URL of my own thumbnail, empty when none
        ProgressRole,   // double 0..1 of the upload
        StateRole,      // int(State)
        ErrorRole,      // "" unless failed
        BadgeRole,      // "PDF", "PNG": the mark on the file's icon
    };
    Q_ENUM(Role)

    explicit AttachmentListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_rows.size()); }
    bool allUploaded() const;
    // At most kMaxAttachments (send_message's limit): false when full.
    bool add(const PendingAttachment& item);
    bool remove(const QString& key);
    void clear();
    // The row for `key`, or nullptr; update() writes it back and signals
    // the roles that changed.
    const PendingAttachment* find(const QString& key) const;
    void update(const PendingAttachment& item);
    QList<PendingAttachment> items() const { return m_rows; }

    static constexpr int kMaxAttachments = 10;

signals:
    void countChanged();
    void stateChanged();

private:
    int rowOf(const QString& key) const;
    QList<PendingAttachment> m_rows;
};

} // namespace confab::client
