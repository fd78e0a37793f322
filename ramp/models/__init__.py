from ramp.models.destinations import BankAccount, DestinationEvent, DestinationFlag, UpiId

__all__ = ["BankAccount", "DestinationEvent", "DestinationFlag", "UpiId"]
