#pragma once

#include "protocol/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace confab::client {

// One file of a queued message (issue 16), as the outbox keeps it: where
// its bytes are, what is declared about it, and how far its upload got, so
// that a send after a reconnect or a restart resumes (upload_file {fileId})
// instead of starting again. The thumbnail is a file of its own.
struct OutgoingFile {
    QString path;
    QString name;
    qint64 size = 0;
    QString mime;
    std::optional<int> width;
    std::optional<int> height;
    QString sha256; // once hashed
    Id fileId = 0;  // once upload_file answered
    bool uploaded = false;

    QString thumbnailPath; // "" when none
    QString thumbnailMime;
    QString thumbnailSha256;
    qint64 thumbnailSize = 0;
    Id thumbnailId = 0;
    bool thumbnailUploaded = false;

    bool done() const { return uploaded && (thumbnailPath.isEmpty() || thumbnailUploaded); }
    // As the local store keeps it (paths included: they are local).
    QJsonObject toJson() const;
    static std::optional<OutgoingFile> fromJson(const QJsonObject& json);
    friend bool operator==(const OutgoingFile& a, const OutgoingFile& b);
};

QString outgoingFilesToJson(const QList<OutgoingFile>& files);
QList<OutgoingFile> outgoingFilesFromJson(const QString& json);

} // namespace confab::client
