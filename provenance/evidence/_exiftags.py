"""Names of the EXIF/TIFF tags that hold text (for :mod:`._exif`).

Sources: TIFF 6.0 §8 (baseline and extension fields); CIPA DC-008-2019 (Exif 2.32) and DC-008-2023
(Exif 3.0) §4.6 (Exif IFD, GPS IFD, Interoperability IFD); DNG 1.6 §6 (UniqueCameraModel,
LocalizedCameraModel); the Windows ``XP*`` tags and the Exif 3.0 tags 0xA436-0xA43C as exiftool's
``Exif.pm`` lists them (c2pa-signals key ET). A tag's *kind* is set only when its name says more than
"text" (software, camera, description); everything else is ``SignalKind.TEXT``.
"""

from __future__ import annotations

from ..model import SignalKind

__all__ = ["CHARSET_CODED", "GPS_CHARSET_CODED", "GPS_TAGS", "TAGS", "XP_TAGS"]

_S, _C, _D, _T = SignalKind.SOFTWARE, SignalKind.CAMERA, SignalKind.DESCRIPTION, SignalKind.TEXT

TAGS: dict[int, tuple[str, SignalKind, str]] = {
    # tag: (name, kind, the IFD the standard puts it in)
    0x000B: ("ProcessingSoftware", _S, "IFD0"),
    0x010D: ("DocumentName", _T, "IFD0"),
    0x010E: ("ImageDescription", _D, "IFD0"),
    0x010F: ("Make", _C, "IFD0"),
    0x0110: ("Model", _C, "IFD0"),
    0x011D: ("PageName", _T, "IFD0"),
    0x0131: ("Software", _S, "IFD0"),
    0x0132: ("DateTime", _T, "IFD0"),
    0x013B: ("Artist", _T, "IFD0"),
    0x013C: ("HostComputer", _T, "IFD0"),
    0x8298: ("Copyright", _T, "IFD0"),
    0x9000: ("ExifVersion", _T, "ExifIFD"),
    0x9003: ("DateTimeOriginal", _T, "ExifIFD"),
    0x9004: ("CreateDate", _T, "ExifIFD"),
    0x9010: ("OffsetTime", _T, "ExifIFD"),
    0x9011: ("OffsetTimeOriginal", _T, "ExifIFD"),
    0x9012: ("OffsetTimeDigitized", _T, "ExifIFD"),
    0x9286: ("UserComment", _D, "ExifIFD"),
    0x9290: ("SubSecTime", _T, "ExifIFD"),
    0x9291: ("SubSecTimeOriginal", _T, "ExifIFD"),
    0x9292: ("SubSecTimeDigitized", _T, "ExifIFD"),
    0x9C9B: ("XPTitle", _D, "IFD0"),
    0x9C9C: ("XPComment", _D, "IFD0"),
    0x9C9D: ("XPAuthor", _D, "IFD0"),
    0x9C9E: ("XPKeywords", _D, "IFD0"),
    0x9C9F: ("XPSubject", _D, "IFD0"),
    0xA000: ("FlashpixVersion", _T, "ExifIFD"),
    0xA004: ("RelatedSoundFile", _T, "ExifIFD"),
    0xA420: ("ImageUniqueID", _T, "ExifIFD"),
    0xA430: ("CameraOwnerName", _T, "ExifIFD"),
    0xA431: ("BodySerialNumber", _T, "ExifIFD"),
    0xA433: ("LensMake", _T, "ExifIFD"),
    0xA434: ("LensModel", _T, "ExifIFD"),
    0xA435: ("LensSerialNumber", _T, "ExifIFD"),
    0xA436: ("ImageTitle", _D, "ExifIFD"),
    0xA437: ("Photographer", _T, "ExifIFD"),
    0xA438: ("ImageEditor", _T, "ExifIFD"),
    0xA439: ("CameraFirmware", _T, "ExifIFD"),
    0xA43A: ("RAWDevelopingSoftware", _S, "ExifIFD"),
    0xA43B: ("ImageEditingSoftware", _S, "ExifIFD"),
    0xA43C: ("MetadataEditingSoftware", _S, "ExifIFD"),
    0x0001: ("InteropIndex", _T, "Interop"),
    0x0002: ("InteropVersion", _T, "Interop"),
    0xC614: ("UniqueCameraModel", _T, "IFD0"),
    0xC615: ("LocalizedCameraModel", _T, "IFD0"),
    0xC62F: ("CameraSerialNumber", _T, "IFD0"),
}
"""Tags of IFD0, the Exif IFD, the Interoperability IFD and SubIFDs."""

GPS_TAGS: dict[int, tuple[str, SignalKind, str]] = {
    0x0001: ("GPSLatitudeRef", _T, "GPS"),
    0x0003: ("GPSLongitudeRef", _T, "GPS"),
    0x0009: ("GPSStatus", _T, "GPS"),
    0x000A: ("GPSMeasureMode", _T, "GPS"),
    0x000C: ("GPSSpeedRef", _T, "GPS"),
    0x000E: ("GPSTrackRef", _T, "GPS"),
    0x0010: ("GPSImgDirectionRef", _T, "GPS"),
    0x0012: ("GPSMapDatum", _T, "GPS"),
    0x0013: ("GPSDestLatitudeRef", _T, "GPS"),
    0x0015: ("GPSDestLongitudeRef", _T, "GPS"),
    0x0017: ("GPSDestBearingRef", _T, "GPS"),
    0x0019: ("GPSDestDistanceRef", _T, "GPS"),
    0x001B: ("GPSProcessingMethod", _T, "GPS"),
    0x001C: ("GPSAreaInformation", _T, "GPS"),
    0x001D: ("GPSDateStamp", _T, "GPS"),
}
"""Tags of the GPS IFD (their numbers overlap IFD0's, so they have their own table)."""

XP_TAGS = frozenset({0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F})
"""Windows tags: BYTE arrays of UTF-16LE text."""
CHARSET_CODED = frozenset({0x9286})
"""UNDEFINED tags that start with the 8-byte character-code header (Exif 2.32 §4.6.5 table 9)."""
GPS_CHARSET_CODED = frozenset({0x001B, 0x001C})
"""GPS tags with the same header (GPSProcessingMethod, GPSAreaInformation; Exif 2.32 §4.6.6)."""
