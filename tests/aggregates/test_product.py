"""Product rules, given past events, when a command, then new events or a rejection."""

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from aggregates.product import (
    INITIAL,
    ChangeProductPrice,
    CreateProduct,
    DiscontinueProduct,
    Product,
    ProductCommand,
    ProductCreated,
    ProductDetailsUpdated,
    ProductDiscontinued,
    ProductEvent,
    ProductPriceChanged,
    ProductStatus,
    UpdateProductDetails,
    decide,
    evolve,
)
from aggregates.rejection import Rejection, RejectionKind

AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PID = "p-1"


def fold(events: list[ProductEvent]) -> Product:
    state = INITIAL
    for event in events:
        state = evolve(state, event)
    return state


def given_when(given_events: list[ProductEvent], command: ProductCommand):
    return decide(fold(given_events), command)


def created(price: str = "10.00") -> ProductCreated:
    return ProductCreated(PID, "Running Shoes", "Light", "shoes", Decimal(price), AT)


def test_creating_a_product_records_it() -> None:
    result = given_when([], CreateProduct(PID, " Running Shoes ", "Light", "shoes", Decimal("10.00"), AT))
    assert result == [created()]


def test_cannot_create_a_product_twice() -> None:
    result = given_when([created()], CreateProduct(PID, "X", "", "c", Decimal("1.00"), AT))
    assert isinstance(result, Rejection) and result.code == "product_exists"
    assert result.kind is RejectionKind.CONFLICT


def test_price_must_be_positive() -> None:
    result = given_when([], CreateProduct(PID, "X", "", "c", Decimal("-1.00"), AT))
    assert isinstance(result, Rejection) and result.code == "invalid_price"
    assert result.kind is RejectionKind.INVALID


def test_price_has_at_most_two_decimals() -> None:
    result = given_when([created()], ChangeProductPrice(PID, Decimal("1.005"), AT))
    assert isinstance(result, Rejection) and result.code == "invalid_price"


def test_price_fits_decimal_10_2() -> None:
    result = given_when([], CreateProduct(PID, "X", "", "c", Decimal("100000000.00"), AT))
    assert isinstance(result, Rejection) and result.code == "invalid_price"


def test_name_must_not_be_blank() -> None:
    result = given_when([], CreateProduct(PID, "  ", "", "c", Decimal("1.00"), AT))
    assert isinstance(result, Rejection) and result.code == "invalid_name"


def test_changing_the_price_records_the_previous_one() -> None:
    result = given_when([created("10.00")], ChangeProductPrice(PID, Decimal("12.50"), AT))
    assert result == [ProductPriceChanged(PID, Decimal("12.50"), Decimal("10.00"), AT)]


def test_setting_the_same_price_changes_nothing() -> None:
    assert given_when([created("10.00")], ChangeProductPrice(PID, Decimal("10.0"), AT)) == []


def test_cannot_change_the_price_of_a_missing_product() -> None:
    result = given_when([], ChangeProductPrice(PID, Decimal("1.00"), AT))
    assert isinstance(result, Rejection) and result.kind is RejectionKind.NOT_FOUND


def test_cannot_change_a_discontinued_product() -> None:
    history = [created(), ProductDiscontinued(PID, "old", AT)]
    result = given_when(history, UpdateProductDetails(PID, "New", None, None, AT))
    assert isinstance(result, Rejection) and result.code == "product_discontinued"


def test_updating_details_keeps_fields_not_given() -> None:
    result = given_when([created()], UpdateProductDetails(PID, None, "Lighter", None, AT))
    assert result == [ProductDetailsUpdated(PID, "Running Shoes", "Lighter", "shoes", AT)]


def test_discontinuing_twice_is_a_no_op() -> None:
    history = [created(), ProductDiscontinued(PID, "old", AT)]
    assert given_when(history, DiscontinueProduct(PID, "again", AT)) == []


def test_each_event_advances_the_version() -> None:
    state = fold([created(), ProductPriceChanged(PID, Decimal("2.00"), Decimal("10.00"), AT),
                  ProductDiscontinued(PID, "", AT)])
    assert state.version == 3
    assert state.price == Decimal("2.00")
    assert state.status is ProductStatus.DISCONTINUED


# Properties over random command sequences.
prices = st.decimals(min_value=Decimal("-5"), max_value=Decimal("200"), places=3, allow_nan=False)
texts = st.text(max_size=20)
commands = st.lists(
    st.one_of(
        st.builds(CreateProduct, st.just(PID), texts, texts, texts, prices, st.just(AT)),
        st.builds(UpdateProductDetails, st.just(PID), st.none() | texts, st.none() | texts,
                  st.none() | texts, st.just(AT)),
        st.builds(ChangeProductPrice, st.just(PID), prices, st.just(AT)),
        st.builds(DiscontinueProduct, st.just(PID), texts, st.just(AT)),
    ),
    max_size=30,
)


@settings(max_examples=300)
@given(commands)
def test_no_command_sequence_breaks_an_invariant(sequence: list[ProductCommand]) -> None:
    state, history = INITIAL, []
    for command in sequence:
        result = decide(state, command)
        if isinstance(result, Rejection):
            continue
        for event in result:
            state = evolve(state, event)
            history.append(event)
        if state.exists:
            assert state.price > 0 and state.price == state.price.quantize(Decimal("0.01"))
            assert state.name.strip()
        assert state.version == len(history)
    # Folding the decided events from scratch gives the same state.
    assert fold(history) == state


@given(commands)
def test_a_discontinued_product_never_changes_again(sequence: list[ProductCommand]) -> None:
    state = fold([created(), ProductDiscontinued(PID, "", AT)])
    for command in sequence:
        result = decide(state, command)
        assert isinstance(result, Rejection) or result == []
