"""The local trust store: dated, offline copies of the C2PA trust lists and the studio's own roots.

c2pa-rs trusts no signer out of the box (ecosystem.md §0 item 2), and tools
that fetch trust lists on every run break offline. `provenance` keeps the
lists in a folder of the user's data directory, fetched only when asked
(``provenance trust update``), each with where it came from, when, and the
SHA-256 of its exact bytes, so every audit can say which anchors it used and
how old each list is.

The package, by concern:

- :mod:`.lists`: kinds and roles, the published lists, checking a list's bytes;
- :mod:`.fetch`: the only module that uses the network (``urllib`` imported only when fetching);
- :mod:`.store`: the folder, its index, reading lists back, writing them under a lock;
- :mod:`.update`: planning updates and pins, and the rules they follow.
"""

from __future__ import annotations

from .._pem import PRIVATE_KEY_MESSAGE, holds_private_key
from ..errors import TrustFetchError, TrustStoreError, TrustStoreLocationError
from ._index import INDEX_SCHEMA, Change, ChangeWhy, Pending, StoredList
from .config import given_config, list_config
from .fetch import DEFAULT_TIMEOUT, MAX_LIST_BYTES, fetch, is_url
from .lists import (
    ALLOWED,
    ANCHORS,
    DEFAULT_SOURCES,
    EKU_CONFIG,
    FIXED_LISTS,
    INTERIM_ALLOWED,
    INTERIM_ANCHORS,
    INTERIM_EKU,
    KINDS,
    LEGACY,
    OFFICIAL,
    OFFICIAL_LIST,
    PINNED,
    ROLES,
    TSA,
    TSA_LIST,
    Kind,
    ListSpec,
    ParsedList,
    Role,
    classify,
    fixed_list,
    parse_list,
)
from .store import ENV_VAR, INDEX_NAME, TrustStore, store_path
from .update import DuplicatePin, check_name, check_pin, check_update, default_name, plan_pin, plan_update

_Pending = Pending  # the name before the package split

__all__ = [
    "ALLOWED",
    "ANCHORS",
    "DEFAULT_SOURCES",
    "DEFAULT_TIMEOUT",
    "EKU_CONFIG",
    "ENV_VAR",
    "FIXED_LISTS",
    "INDEX_NAME",
    "INDEX_SCHEMA",
    "INTERIM_ALLOWED",
    "INTERIM_ANCHORS",
    "INTERIM_EKU",
    "KINDS",
    "LEGACY",
    "MAX_LIST_BYTES",
    "OFFICIAL",
    "OFFICIAL_LIST",
    "PINNED",
    "PRIVATE_KEY_MESSAGE",
    "ROLES",
    "TSA",
    "TSA_LIST",
    "Change",
    "ChangeWhy",
    "DuplicatePin",
    "Kind",
    "ListSpec",
    "ParsedList",
    "Pending",
    "Role",
    "StoredList",
    "TrustFetchError",
    "TrustStore",
    "TrustStoreError",
    "TrustStoreLocationError",
    "check_name",
    "check_pin",
    "check_update",
    "classify",
    "default_name",
    "fetch",
    "fixed_list",
    "holds_private_key",
    "is_url",
    "parse_list",
    "plan_pin",
    "plan_update",
    "given_config",
    "list_config",
    "store_path",
]
