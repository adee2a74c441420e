package org.vigil.config.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

/**
 * A configuration property value as it is stored: a type name and a text. Configuration Admin values are simple
 * types ({@code String}, {@code Integer}, ...), arrays of them ({@code int[]}, {@code String[]}) or collections
 * ({@code Collection<String>}); lists are stored as JSON arrays of the elements' texts. Decoding gives back an equal
 * value of the same type, so that an unchanged value is recognised and not written again.
 */
public record StoredValue(String type, String value) {
    private static final Gson GSON = new Gson();
    private static final java.lang.reflect.Type TEXTS = new TypeToken<List<String>>() { }.getType();

    private static final Map<String, Class<?>> SIMPLE = Map.ofEntries(Map.entry("String", String.class),
            Map.entry("Integer", Integer.class), Map.entry("Long", Long.class), Map.entry("Float", Float.class),
            Map.entry("Double", Double.class), Map.entry("Byte", Byte.class), Map.entry("Short", Short.class),
            Map.entry("Character", Character.class), Map.entry("Boolean", Boolean.class),
            Map.entry("BigInteger", BigInteger.class), Map.entry("BigDecimal", BigDecimal.class));
    private static final Map<String, Class<?>> PRIMITIVE = Map.of("int", int.class, "long", long.class, "float",
            float.class, "double", double.class, "byte", byte.class, "short", short.class, "char", char.class,
            "boolean", boolean.class);
    private static final Map<Class<?>, Function<String, Object>> PARSE = Map.ofEntries(
            Map.entry(String.class, s -> s), Map.entry(Integer.class, Integer::valueOf),
            Map.entry(Long.class, Long::valueOf), Map.entry(Float.class, Float::valueOf),
            Map.entry(Double.class, Double::valueOf), Map.entry(Byte.class, Byte::valueOf),
            Map.entry(Short.class, Short::valueOf), Map.entry(Character.class, s -> s.charAt(0)),
            Map.entry(Boolean.class, Boolean::valueOf), Map.entry(BigInteger.class, BigInteger::new),
            Map.entry(BigDecimal.class, BigDecimal::new));

    /** Encodes a value; throws {@link IllegalArgumentException} naming the property when its type cannot be stored. */
    public static StoredValue encode(String key, Object v) {
        if (v == null) {
            throw new IllegalArgumentException("The setting '" + key + "' has no value.");
        }
        String simple = simpleName(v.getClass());
        if (simple != null) {
            return new StoredValue(simple, text(v));
        }
        Class<?> c = v.getClass();
        if (c.isArray()) {
            Class<?> component = c.getComponentType();
            String name = component.isPrimitive() ? component.getName() : simpleName(component);
            if (name == null) {
                throw unsupported(key, v);
            }
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                Object e = Array.get(v, i);
                texts.add(e == null ? null : text(e));
            }
            return new StoredValue(name + "[]", GSON.toJson(texts));
        }
        if (v instanceof Collection<?> collection) {
            String element = null;
            List<String> texts = new ArrayList<>();
            for (Object e : collection) {
                if (e != null) {
                    String n = simpleName(e.getClass());
                    if (n == null || (element != null && !element.equals(n))) {
                        throw unsupported(key, v);
                    }
                    element = n;
                }
                texts.add(e == null ? null : text(e));
            }
            return new StoredValue("Collection<" + (element == null ? "String" : element) + ">", GSON.toJson(texts));
        }
        throw unsupported(key, v);
    }

    /** The value this stored form stands for. */
    public Object decode() {
        Class<?> simple = SIMPLE.get(type);
        if (simple != null) {
            return PARSE.get(simple).apply(value);
        }
        try {
            List<String> texts = GSON.fromJson(value, TEXTS);
            if (type.endsWith("[]")) {
                String name = type.substring(0, type.length() - 2);
                Class<?> component = PRIMITIVE.containsKey(name) ? PRIMITIVE.get(name) : SIMPLE.get(name);
                Class<?> boxed = PRIMITIVE.containsKey(name) ? SIMPLE.get(boxedName(name)) : component;
                if (component == null) {
                    throw new IllegalStateException("Unknown stored type " + type);
                }
                Object array = Array.newInstance(component, texts.size());
                for (int i = 0; i < texts.size(); i++) {
                    String t = texts.get(i);
                    if (t != null) {
                        Array.set(array, i, PARSE.get(boxed).apply(t));
                    }
                }
                return array;
            }
            if (type.startsWith("Collection<") && type.endsWith(">")) {
                Class<?> element = SIMPLE.get(type.substring("Collection<".length(), type.length() - 1));
                if (element == null) {
                    throw new IllegalStateException("Unknown stored type " + type);
                }
                List<Object> list = new ArrayList<>();
                for (String t : texts) {
                    list.add(t == null ? null : PARSE.get(element).apply(t));
                }
                return list;
            }
        } catch (JsonParseException e) {
            throw new IllegalStateException("The stored value of type " + type + " is not a JSON array", e);
        }
        throw new IllegalStateException("Unknown stored type " + type);
    }

    private static String simpleName(Class<?> c) {
        for (Map.Entry<String, Class<?>> e : SIMPLE.entrySet()) {
            if (e.getValue() == c) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String boxedName(String primitive) {
        return switch (primitive) {
            case "int" -> "Integer";
            case "char" -> "Character";
            default -> Character.toUpperCase(primitive.charAt(0)) + primitive.substring(1);
        };
    }

    private static String text(Object v) {
        return v.toString();
    }

    private static IllegalArgumentException unsupported(String key, Object v) {
        return new IllegalArgumentException("The setting '" + key + "' has a value of type " + v.getClass().getName()
                + ", which Configuration Admin does not allow.");
    }
}
