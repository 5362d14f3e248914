"""teller: a keyboard-only counter for 单客户多银行服务 (one client, up to five depository banks)."""

__version__ = "0.1.0"
