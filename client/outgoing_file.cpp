#include "outgoing_file.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace confab::client {
namespace {

void putOptional(QJsonObject& o, QLatin1String key, const std::optional<int>& value)
{
    if (value)
        o.insert(key, *value);
}

std::optional<int> optionalInt(const QJsonObject& o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return std::nullopt;
    return v.toInt();
}

} // namespace

QJsonObject OutgoingFile::toJson() const
{
    QJsonObject o{
        {QLatin1String("path"), path},
        {QLatin1String("name"), name},
        {QLatin1String("size"), double(size)},
        {QLatin1String("mime"), mime},
        {QLatin1String("sha256"), sha256},
        {QLatin1String("fileId"), double(fileId)},
        {QLatin1String("uploaded"), uploaded},
        {QLatin1String("thumbnailPath"), thumbnailPath},
        {QLatin1String("thumbnailMime"), thumbnailMime},
        {QLatin1String("thumbnailSha256"), thumbnailSha256},
        {QLatin1String("thumbnailSize"), double(thumbnailSize)},
        {QLatin1String("thumbnailId"), double(thumbnailId)},
        {QLatin1String("thumbnailUploaded"), thumbnailUploaded},
    };
    putOptional(o, QLatin1String("width"), width);
    putOptional(o, QLatin1String("height"), height);
    return o;
}

std::optional<OutgoingFile> OutgoingFile::fromJson(const QJsonObject& o)
{
    OutgoingFile f;
    f.path = o.value(QLatin1String("path")).toString();
    f.name = o.value(QLatin1String("name")).toString();
    f.size = qint64(o.value(QLatin1String("size")).toDouble());
    f.mime = o.value(QLatin1String("mime")).toString();
    f.width = optionalInt(o, QLatin1String("width"));
    f.height = optionalInt(o, QLatin1String("height"));
    f.sha256 = o.value(QLatin1String("sha256")).toString();
    f.fileId = Id(o.value(QLatin1String("fileId")).toDouble());
    f.uploaded = o.value(QLatin1String("uploaded")).toBool();
    f.thumbnailPath = o.value(QLatin1String("thumbnailPath")).toString();
    f.thumbnailMime = o.value(QLatin1String("thumbnailMime")).toString();
    f.thumbnailSha256 = o.value(QLatin1String("thumbnailSha256")).toString();
    f.thumbnailSize = qint64(o.value(QLatin1String("thumbnailSize")).toDouble());
    f.thumbnailId = Id(o.value(QLatin1String("thumbnailId")).toDouble());
    f.thumbnailUploaded = o.value(QLatin1String("thumbnailUploaded")).toBool();
    if (f.path.isEmpty() || f.name.isEmpty() || f.size < 1)
        return std::nullopt;
    return f;
}

bool operator==(const OutgoingFile& a, const OutgoingFile& b)
{
    return a.toJson() == b.toJson();
}

QString outgoingFilesToJson(const QList<OutgoingFile>& files)
{
    QJsonArray array;
    for (const OutgoingFile& f : files)
        array.append(f.toJson());
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<OutgoingFile> outgoingFilesFromJson(const QString& json)
{
    QList<OutgoingFile> files;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue& v : array) {
        if (auto f = OutgoingFile::fromJson(v.toObject()))
            files.append(*f);
    }
    return files;
}

} // namespace confab::client
