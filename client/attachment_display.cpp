#include "attachment_display.h"

#include "file_image.h"
#include "file_names.h"
#include "outgoing_file.h"

#include <QUrl>

namespace confab::client::attachment_display {
namespace {

bool isShownImageType(const QString& mime)
{
    return mime == QLatin1String("image/png") || mime == QLatin1String("image/jpeg") ||
           mime == QLatin1String("image/gif");
}

QString kindOf(const QString& mime, const std::optional<int>& width, const std::optional<int>& height)
{
    if (!isShownImageType(mime) || !width || !height)
        return QStringLiteral("file");
    return files::declaredSizeFits(*width, *height) ? QStringLiteral("image") : QStringLiteral("hugeImage");
}

} // namespace

QVariantMap of(const FileInfo& file)
{
    const QString kind = kindOf(file.mime, file.width, file.height);
    Id preview = 0;
    if (kind == QLatin1String("image"))
        preview = file.thumbnailId ? *file.thumbnailId : file.size <= kShowWholeImageBytes ? file.id : 0;
    return {
        {QStringLiteral("id"), double(file.id)},
        {QStringLiteral("name"), file.name},
        {QStringLiteral("size"), double(file.size)},
        {QStringLiteral("sizeText"), files::humanSize(file.size)},
        {QStringLiteral("mime"), file.mime},
        {QStringLiteral("badge"), files::typeBadge(file.mime, file.name)},
        {QStringLiteral("kind"), preview || kind != QLatin1String("image") ? kind : QStringLiteral("file")},
        {QStringLiteral("width"), file.width.value_or(0)},
        {QStringLiteral("height"), file.height.value_or(0)},
        {QStringLiteral("previewId"), double(preview)},
        {QStringLiteral("canOpen"), files::isSafeToOpen(file.name, file.mime)},
        {QStringLiteral("localPreview"), QString()},
        {QStringLiteral("progress"), 1.0},
    };
}

QVariantList of(const QList<FileInfo>& files)
{
    QVariantList out;
    for (const FileInfo& f : files)
        out.append(of(f));
    return out;
}

QVariantList ofPending(const QList<OutgoingFile>& files, qint64 uploaded)
{
    QVariantList out;
    qint64 before = 0;
    for (const OutgoingFile& f : files) {
        const bool image = !f.thumbnailPath.isEmpty();
        const double progress = f.uploaded   ? 1.0
                                : f.size > 0 ? qBound(0.0, double(uploaded - before) / double(f.size), 1.0)
                                             : 0.0;
        before += f.size;
        out.append(QVariantMap{
            {QStringLiteral("id"), double(f.fileId)},
            {QStringLiteral("name"), f.name},
            {QStringLiteral("size"), double(f.size)},
            {QStringLiteral("sizeText"), files::humanSize(f.size)},
            {QStringLiteral("mime"), f.mime},
            {QStringLiteral("badge"), files::typeBadge(f.mime, f.name)},
            {QStringLiteral("kind"), image ? QStringLiteral("image") : QStringLiteral("file")},
            {QStringLiteral("width"), f.width.value_or(0)},
            {QStringLiteral("height"), f.height.value_or(0)},
            {QStringLiteral("previewId"), 0.0},
            {QStringLiteral("canOpen"), false},
            {QStringLiteral("localPreview"),
             image ? QUrl::fromLocalFile(f.thumbnailPath).toString() : QString()},
            {QStringLiteral("progress"), progress},
        });
    }
    return out;
}

} // namespace confab::client::attachment_display
