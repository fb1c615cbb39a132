#include "avatar_picker.h"

#include <QApplication>
#include <QFileDialog>
#include <QStandardPaths>

namespace confab::ui {

AvatarPicker::AvatarPicker(QObject* parent)
    : QObject(parent)
{}

AvatarPicker::~AvatarPicker()
{
    delete m_dialog.data();
}

void AvatarPicker::open()
{
    if (!qobject_cast<QApplication*>(QCoreApplication::instance()))
        return; // a QGuiApplication (tests): no widgets to show
    if (!m_dialog) {
        m_dialog = new QFileDialog(nullptr, tr("Choose a picture"),
                                   QStandardPaths::writableLocation(QStandardPaths::PicturesLocation),
                                   tr("Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp)"));
        m_dialog->setFileMode(QFileDialog::ExistingFile);
        connect(m_dialog, &QFileDialog::fileSelected, this,
                [this](const QString& file) { emit chosen(QUrl::fromLocalFile(file)); });
    }
    m_dialog->open();
}

} // namespace confab::ui
