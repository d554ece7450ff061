"""The table of in-call functions the Retell agent may call, by name."""

from integrations.functions.appointments import (
    cancel_appointment,
    check_cancellation,
    reschedule_appointment,
)
from integrations.functions.request_callback import request_callback
from integrations.schemas.functions import (
    AppointmentArgs,
    CancelAppointmentArgs,
    RequestCallbackArgs,
    RescheduleAppointmentArgs,
)
from integrations.services.function_calls import InCallFunction

FUNCTIONS: dict[str, InCallFunction] = {
    function.name: function
    for function in (
        InCallFunction("request_callback", RequestCallbackArgs, request_callback),
        InCallFunction("check_cancellation", AppointmentArgs, check_cancellation),
        InCallFunction("cancel_appointment", CancelAppointmentArgs, cancel_appointment),
        InCallFunction(
            "reschedule_appointment", RescheduleAppointmentArgs, reschedule_appointment
        ),
    )
}
