"""The operating system's causes in the user's language: an ``OSError``'s
English ``strerror`` («Too many levels of symbolic links») never reaches a
message; its errno is looked up here, the one table of them."""

from __future__ import annotations

import errno

from ..i18n import N_, _

#: errno → the cause, as a message says it.
_CAUSES = {
    errno.ENOENT: N_("el archivo o la carpeta no existe"),
    errno.EACCES: N_("no hay permiso"),
    errno.EPERM: N_("la operación no está permitida"),
    errno.ENOSPC: N_("no queda espacio en el disco"),
    errno.EDQUOT: N_("se agotó la cuota de disco"),
    errno.EROFS: N_("el sistema de archivos es de solo lectura"),
    errno.ENOTDIR: N_("una parte de la ruta es un archivo, no una carpeta"),
    errno.EISDIR: N_("es una carpeta, no un archivo"),
    errno.EEXIST: N_("ya existe"),
    errno.ENAMETOOLONG: N_("el nombre del archivo es demasiado largo"),
    errno.ELOOP: N_("hay demasiados enlaces simbólicos encadenados (o un enlace que apunta a sí mismo)"),
    errno.EIO: N_("falló el disco (error de entrada/salida)"),
    errno.EMFILE: N_("hay demasiados archivos abiertos"),
    errno.ENFILE: N_("hay demasiados archivos abiertos en el sistema"),
    errno.ENXIO: N_("el dispositivo no existe o no está listo"),
    errno.ENODEV: N_("el dispositivo no existe o no está listo"),
    errno.EBUSY: N_("el archivo o el dispositivo está en uso"),
    errno.ETXTBSY: N_("el archivo o el dispositivo está en uso"),
    errno.EFBIG: N_("el archivo es demasiado grande"),
    errno.EINVAL: N_("el nombre o la operación no es válida en este sistema"),
    errno.EXDEV: N_("la ruta está en otro disco"),
    errno.ENOTEMPTY: N_("la carpeta no está vacía"),
    errno.EAGAIN: N_("el recurso no está disponible ahora"),
    errno.ENOMEM: N_("no hay memoria suficiente"),
}
#: Where a write failed, some causes say more than the general words.
_WRITING = {
    errno.ENOENT: N_("la carpeta de destino no existe"),
    errno.EACCES: N_("no hay permiso para escribir ahí"),
    errno.EPERM: N_("no hay permiso para escribir ahí"),
}


def cause(exc: OSError, *, writing: bool = False) -> str:
    """Why ``exc`` happened, in the language in use; an errno without words
    here is named by its symbol («error del sistema EWOULDBLOCK»), never by
    the system's English text."""
    number = exc.errno or 0
    text = (_WRITING.get(number) if writing else None) or _CAUSES.get(number)
    if text:
        return _(text)
    return _("error del sistema {name}", name=errno.errorcode.get(number, str(number)))
